// Command redisd is a Redis-compatible server built on gnet: RESP2 requests (arrays of bulk
// strings, as clients send, and inline commands, as people type), pipelining, and a sharded
// in-memory keyspace of strings and lists with expiry.
//
//	go run ./tools/cmd/redisd -addr tcp://127.0.0.1:6380
//	redis-cli -p 6380 set greeting hello
//	redis-benchmark -p 6380 -t ping,set,get -P 16
//
// Commands: PING ECHO SELECT QUIT COMMAND CONFIG GET DBSIZE FLUSHALL, GET SET MGET MSET INCR
// DECR INCRBY DECRBY, DEL EXISTS EXPIRE PEXPIRE TTL PTTL, LPUSH RPUSH LPOP RPOP LLEN LRANGE.
// Replies and errors are those of Redis 7, byte for byte. A request that breaks the protocol
// is answered with "-ERR Protocol error: ..." and the connection is closed, as Redis does.
// Where it differs: there is one database (SELECT accepts only 0); SET has no GET option;
// COMMAND DOCS answers an empty map and COMMAND lists arities and key positions only; CONFIG
// knows only save and appendonly; MSET and multi-key DEL are atomic per key, not as a whole.
//
// A client that reads its replies slower than it pipelines commands is paced, where Redis
// would queue every reply (a normal client has no output buffer limit by default): while more
// than the engine's high write watermark (1 MiB) of its replies is pending, its next commands
// wait unexecuted and it is not read; they run once the replies have drained below the low
// watermark (256 KiB). A client that reads nothing is closed after -write-timeout seconds; one
// whose single reply is larger than -max-outbound allows is closed once the replies before it
// are written.
//
// SIGINT and SIGTERM stop the server gracefully; with -cpuprofile the CPU profile is written
// then. With -metrics-addr ADDR it serves its statistics for Prometheus on
// http://ADDR/metrics, and net/http/pprof's profiles on /debug/pprof/ (see tools/metrics).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/cpuprofile"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
	"github.com/gnetio/gnet/tools/metrics"
)

// settings are the command line's.
type settings struct {
	addr        string
	loops       int
	reusePort   bool
	quiet       bool
	limits      resp.Limits
	maxOutbound int
	// writeTimeout is in seconds; 0 means the engine's default.
	writeTimeout int
	cpuProfile   string
	storeShards  int
	metricsAddr  string
}

// parseFlags reads the command line; usage and flag errors are written to output.
func parseFlags(args []string, output io.Writer) (settings, error) {
	var cfg settings
	fs := flag.NewFlagSet("redisd", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&cfg.addr, "addr", "tcp://127.0.0.1:6380", "address to serve: tcp://, tcp4://, tcp6:// or unix://")
	fs.IntVar(&cfg.loops, "loops", runtime.NumCPU(), "number of event loops")
	fs.BoolVar(&cfg.reusePort, "reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	fs.BoolVar(&cfg.quiet, "quiet", false, "log nothing but errors")
	fs.IntVar(&cfg.limits.MaxBulk, "max-bulk", resp.DefaultMaxBulk, "longest bulk string a request may carry, in bytes (at most 512 MiB)")
	fs.IntVar(&cfg.limits.MaxMultibulk, "max-multibulk", resp.DefaultMaxMultibulk, "most arguments one request may carry")
	fs.IntVar(&cfg.maxOutbound, "max-outbound", 0, "most reply bytes a connection may have queued, in bytes (default: four times -max-bulk, at least 64 MiB)")
	fs.IntVar(&cfg.writeTimeout, "write-timeout", 0, "seconds a connection's pending replies may make no progress (its client reads nothing) before it is closed (default: the engine's, 30)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile to this file, from start until SIGINT or SIGTERM")
	fs.IntVar(&cfg.storeShards, "shards", kvstore.DefaultShards, "number of keyspace shards, a power of two")
	fs.StringVar(&cfg.metricsAddr, "metrics-addr", "", "serve the statistics for Prometheus on http://ADDR/metrics, and profiles on /debug/pprof/ (host:port; port 0 picks one)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if err := cfg.limits.Check(); err != nil {
		return cfg, fmt.Errorf("-max-bulk and -max-multibulk: %w", err)
	}
	if cfg.writeTimeout < 0 {
		return cfg, fmt.Errorf("-write-timeout must not be negative, not %d", cfg.writeTimeout)
	}
	if cfg.loops < 1 {
		return cfg, fmt.Errorf("-loops must be at least 1, not %d", cfg.loops)
	}
	if cfg.maxOutbound == 0 {
		cfg.maxOutbound = max(4*cfg.limits.MaxBulk, server.DefaultMaxOutbound)
	}
	return cfg, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "redisd:", err)
		}
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		log.Fatalf("redisd: %v", err)
	}
}

// run serves until the server stops: on SIGINT or SIGTERM, or when it fails.
func run(cfg settings) error {
	store, err := kvstore.New(kvstore.WithShards(cfg.storeShards))
	if err != nil {
		return err
	}
	stopProfile, err := cpuprofile.Start(cfg.cpuProfile)
	if err != nil {
		return err
	}
	handler := newRedisServer(store, cfg)
	handler.metrics = metrics.NewExporter(cfg.metricsAddr, cfg.quiet)
	stopSignals := closeOnSignal(handler)
	defer stopSignals()
	serveErr := server.Serve(handler, cfg.addr, serverOptions(cfg)...)
	if err := stopProfile(); err != nil && serveErr == nil {
		serveErr = err
	}
	if err := handler.metrics.Close(); err != nil && serveErr == nil {
		serveErr = err
	}
	return serveErr
}

// serverOptions are the engine options that serve cfg.
func serverOptions(cfg settings) []server.Option {
	output := outputLimitsFor(cfg.maxOutbound)
	return []server.Option{
		server.WithLoopNum(cfg.loops),
		server.WithReusePort(cfg.reusePort),
		server.WithCodec(respCodec{}),
		server.WithTicker(true),
		server.WithMaxOutbound(cfg.maxOutbound),
		server.WithWriteWatermarks(output.low, output.high),
		server.WithWriteTimeOut(cfg.writeTimeout),
	}
}
