// Command httpd is an HTTP/1.1 server built on gnet. It serves the routes of the
// benchmark application (httpwire.App):
//
//	GET  /plaintext  200 text/plain "Hello, World!"
//	GET  /json       200 application/json {"message":"Hello, World!"}
//	POST /echo       200, the request body
//	anything else    404
//
// with keep-alive (the HTTP/1.1 default; "Connection: close" honoured; HTTP/1.0 only on
// "Connection: keep-alive") and pipelining (requests that arrive together are answered in
// order, with one write). Requests the parser rejects get 400 (malformed), 413 (body over
// -max-body-bytes), 431 (head over -max-header-bytes or more than -max-headers fields) or
// 501 (Transfer-Encoding), and the connection is closed after the response.
//
//	go run ./tools/cmd/httpd -addr tcp://127.0.0.1:8080
//	curl -i http://127.0.0.1:8080/plaintext
//
// With -metrics-addr ADDR it serves its statistics for Prometheus on http://ADDR/metrics, and
// net/http/pprof's profiles on /debug/pprof/ (see tools/metrics).
//
// With -cpuprofile FILE it records a CPU profile from start until SIGINT or SIGTERM, which
// stop the server.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/cpuprofile"
	"github.com/gnetio/gnet/tools/internal/httpwire"
	"github.com/gnetio/gnet/tools/metrics"
)

// config is what the command line sets.
type config struct {
	addr        string
	loops       int
	reusePort   bool
	quiet       bool
	limits      httpwire.Limits
	cpuProfile  string
	metricsAddr string
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", "tcp://127.0.0.1:8080", "address to serve: tcp://, tcp4://, tcp6:// or unix://")
	flag.IntVar(&cfg.loops, "loops", runtime.NumCPU(), "number of event loops")
	flag.BoolVar(&cfg.reusePort, "reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	flag.BoolVar(&cfg.quiet, "quiet", false, "log nothing but errors")
	flag.IntVar(&cfg.limits.MaxHeaderBytes, "max-header-bytes", httpwire.DefaultMaxHeaderBytes,
		"most bytes of request line and header fields; more gets 431")
	flag.IntVar(&cfg.limits.MaxHeaders, "max-headers", httpwire.DefaultMaxHeaders, "most header fields; more gets 431")
	flag.IntVar(&cfg.limits.MaxBodyBytes, "max-body-bytes", httpwire.DefaultMaxBodyBytes,
		"largest Content-Length accepted; more gets 413")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile to this file when stopped by SIGINT or SIGTERM")
	flag.StringVar(&cfg.metricsAddr, "metrics-addr", "", "serve the statistics for Prometheus on http://ADDR/metrics, and profiles on /debug/pprof/ (host:port; port 0 picks one)")
	flag.Parse()
	return cfg
}

// serveOptions are the engine options httpd runs with.
func serveOptions(cfg config, hs *httpServer) []server.Option {
	return []server.Option{
		server.WithLoopNum(cfg.loops),
		server.WithReusePort(cfg.reusePort),
		server.WithCodec(hs.codec),
		server.WithTicker(true), // refreshes the Date value
	}
}

func main() {
	cfg := parseFlags()
	hs, err := newHTTPServer(cfg.limits, cfg.quiet)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpd:", err)
		os.Exit(2)
	}
	stopProfile, err := cpuprofile.Start(cfg.cpuProfile)
	if err != nil {
		log.Fatalf("httpd: %v", err)
	}
	running := make(chan api.Server, 1)
	exporter := metrics.NewExporter(cfg.metricsAddr, cfg.quiet)
	hs.onInit = func(srv api.Server) {
		if err := exporter.Start(srv.Stats); err != nil {
			log.Fatalf("httpd: %v", err)
		}
		running <- srv
	}
	go closeOnSignal(running)

	serveErr := server.Serve(hs, cfg.addr, serveOptions(cfg, hs)...)
	if err := stopProfile(); err != nil {
		log.Printf("httpd: %v", err)
	}
	if err := exporter.Close(); err != nil {
		log.Printf("httpd: %v", err)
	}
	if serveErr != nil {
		log.Fatalf("httpd: %v", serveErr)
	}
}
