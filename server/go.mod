module github.com/gnetio/gnet/server

go 1.26.0

require (
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0
	golang.org/x/sys v0.49.0
)
