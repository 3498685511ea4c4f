module github.com/gnetio/gnet/api

go 1.26
