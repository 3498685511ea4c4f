module github.com/gnetio/gnet/testsuite

go 1.26.0

require (
	github.com/gnetio/gnet/api v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/codec v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/poller-bsd v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/poller-linux v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/server v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.12.1
	golang.org/x/sys v0.49.0
)

require (
	github.com/gnetio/gnet/buffer v0.0.0-00010101000000-000000000000 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

// The sibling modules come from this checkout, with or without the workspace (GOWORK=off).
// Programs that require this module ignore these lines and get the versions required above.
replace (
	github.com/gnetio/gnet/api => ../api
	github.com/gnetio/gnet/buffer => ../buffer
	github.com/gnetio/gnet/codec => ../codec
	github.com/gnetio/gnet/poller-bsd => ../poller-bsd
	github.com/gnetio/gnet/poller-linux => ../poller-linux
	github.com/gnetio/gnet/server => ../server
)
