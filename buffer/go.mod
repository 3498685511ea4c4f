module github.com/gnetio/gnet/buffer

go 1.26
