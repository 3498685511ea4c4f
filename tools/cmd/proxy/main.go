// Command proxy is a layer-4 TCP proxy built on gnet: every accepted connection is relayed,
// byte for byte in both directions, to one of the -backends, chosen round-robin among those
// that pass their health checks.
//
//	go run ./tools/cmd/proxy -addr tcp://127.0.0.1:8000 -backends 127.0.0.1:8080,127.0.0.1:8081
//	curl http://127.0.0.1:8000/plaintext
//
// Each backend is dialed every -health-interval; one that refuses (or fails a relay's dial) is
// skipped until a check passes again. A client whose every backend fails is disconnected. When
// either side of a pair closes, the other is closed once its pending output has been sent.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/gnetio/gnet/server"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(2)
	}
	p := newProxy(cfg, log.Printf)
	ctx, stopChecks := context.WithCancel(context.Background())
	checks := startHealthChecks(ctx, p.pool, cfg.healthInterval, cfg.dialTimeout)
	serveErr := server.Serve(p, cfg.addr, serveOptions(cfg)...)
	stopChecks()
	checks.Wait()
	if serveErr != nil {
		log.Fatalf("proxy: %v", serveErr)
	}
}
