module github.com/gnetio/gnet/tools

go 1.26.0

require (
	github.com/gnetio/gnet/api v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/codec v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/server v0.0.0-00010101000000-000000000000
	github.com/gnetio/gnet/testsuite v0.0.0-00010101000000-000000000000
	github.com/panjf2000/gnet/v2 v2.9.7
	github.com/prometheus/client_golang v1.25.0
	github.com/stretchr/testify v1.12.1
	golang.org/x/exp v0.0.0-20261113113407-e3970619a1a4
	golang.org/x/mod v0.43.0
	golang.org/x/sys v0.49.0
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/gnetio/gnet/buffer v0.0.0-00010101000000-000000000000 // indirect
	github.com/gnetio/gnet/poller-bsd v0.0.0-00010101000000-000000000000 // indirect
	github.com/gnetio/gnet/poller-linux v0.0.0-00010101000000-000000000000 // indirect
	github.com/kylelemons/godebug v1.1.0 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/panjf2000/ants/v2 v2.11.3 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.1-0.20261106145633-d407941a339a // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gopkg.in/natefinch/lumberjack.v2 v2.2.1 // indirect
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
	github.com/gnetio/gnet/testsuite => ../testsuite
)
