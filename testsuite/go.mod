module github.com/gnetio/gnet/testsuite

go 1.26
