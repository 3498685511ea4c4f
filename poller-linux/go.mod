module github.com/gnetio/gnet/poller-linux

go 1.26
