module github.com/gnetio/gnet/tools

go 1.26
