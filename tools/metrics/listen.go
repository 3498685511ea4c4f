package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gnetio/gnet/api"
)

// Registry returns a registry with a Collector over stats, the Go runtime's metrics (go_*)
// and the process's (process_*: CPU time, memory, descriptors).
func Registry(stats func() api.ServerStats) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		NewCollector(stats),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// Handler serves reg's metrics on /metrics and net/http/pprof's profiles under /debug/pprof/.
func Handler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Endpoint is an HTTP server of metrics and profiles, started by Listen.
type Endpoint struct {
	ln  net.Listener
	srv *http.Server
	// served receives what Serve returned.
	served chan error
}

// Listen listens on addr ("127.0.0.1:9100"; port 0 picks a free one, see Addr) and serves
// Handler(Registry(stats)) there on a goroutine of its own until Close. The listener is
// open when it returns, so a scrape can follow at once. Profiles reveal the program's
// internals: listen on a loopback or otherwise private address.
func Listen(addr string, stats func() api.ServerStats) (*Endpoint, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	ep := &Endpoint{
		ln: ln,
		srv: &http.Server{
			Handler:           Handler(Registry(stats)),
			ReadHeaderTimeout: 10 * time.Second,
		},
		served: make(chan error, 1),
	}
	go func() { ep.served <- ep.srv.Serve(ln) }()
	return ep, nil
}

// Addr returns the address the endpoint listens on.
func (ep *Endpoint) Addr() net.Addr { return ep.ln.Addr() }

// URL returns the address of the metrics page: http://host:port/metrics.
func (ep *Endpoint) URL() string { return "http://" + ep.ln.Addr().String() + "/metrics" }

// Close stops the endpoint, letting requests in progress (a CPU profile takes 30 s by
// default) finish for at most a second, and returns once it has stopped serving.
func (ep *Endpoint) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := ep.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = ep.srv.Close()
	}
	if served := <-ep.served; !errors.Is(served, http.ErrServerClosed) {
		return errors.Join(err, served)
	}
	return err
}
