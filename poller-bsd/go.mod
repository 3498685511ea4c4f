module github.com/gnetio/gnet/poller-bsd

go 1.26
