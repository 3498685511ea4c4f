module github.com/gnetio/gnet/codec

go 1.26
