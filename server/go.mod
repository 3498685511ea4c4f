module github.com/gnetio/gnet/server

go 1.26
