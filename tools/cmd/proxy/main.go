// Command proxy is a layer-4 TCP proxy built on gnet: every accepted connection is relayed,
// byte for byte in both directions, to one of the -backends, chosen round-robin among those
// that pass their health checks.
//
//	go run ./tools/cmd/proxy -addr tcp://127.0.0.1:8000 -backends 127.0.0.1:8080,127.0.0.1:8081
//	curl http://127.0.0.1:8000/plaintext
//
// Each backend is dialed every -health-interval; one that refuses (or fails a relay's dial) is
// skipped until a check passes again. A client whose every backend fails is disconnected.
// When one side of a pair finishes sending (it shuts down its writing side), the proxy passes
// the end of stream on to the other side and keeps relaying the other way; when either side
// closes or resets, the other is closed once its pending output has been sent.
//
// SIGINT and SIGTERM stop the proxy; with -cpuprofile the CPU profile is written then. With
// -metrics-addr ADDR it serves its statistics for Prometheus on http://ADDR/metrics, and
// net/http/pprof's profiles on /debug/pprof/ (see tools/metrics); the backend connections it
// dials count as dialed, the clients' as accepted.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/cpuprofile"
	"github.com/gnetio/gnet/tools/metrics"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(2)
	}
	stopProfile, err := cpuprofile.Start(cfg.cpuProfile)
	if err != nil {
		log.Fatalf("proxy: %v", err)
	}
	p := newProxy(cfg, log.Printf)
	running := make(chan api.Server, 1)
	exporter := metrics.NewExporter(cfg.metricsAddr, cfg.quiet)
	p.onInit = func(srv api.Server) {
		if err := exporter.Start(srv.Stats); err != nil {
			log.Fatalf("proxy: %v", err)
		}
		running <- srv
	}
	release := stopOnSignal(running)
	ctx, stopChecks := context.WithCancel(context.Background())
	checks := startHealthChecks(ctx, p.pool, cfg.healthInterval, cfg.dialTimeout)
	serveErr := server.Serve(p, cfg.addr, serveOptions(cfg)...)
	release()
	stopChecks()
	checks.Wait()
	if err := stopProfile(); err != nil {
		log.Printf("proxy: writing the CPU profile: %v", err)
	}
	if err := exporter.Close(); err != nil {
		log.Printf("proxy: %v", err)
	}
	if serveErr != nil {
		log.Fatalf("proxy: %v", serveErr)
	}
}
