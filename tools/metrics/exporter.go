package metrics

import (
	"log"
	"sync"

	"github.com/gnetio/gnet/api"
)

// Exporter serves a server's metrics on an address taken from a command line (-metrics-addr),
// from the moment the server is handed over (OnInitComplete) until Close. An Exporter with no
// address, or a nil one, does nothing, so a server calls it the same way whether or not the
// flag was given.
type Exporter struct {
	addr string
	logf func(format string, args ...any)

	mu sync.Mutex
	ep *Endpoint
}

// NewExporter returns an Exporter for addr ("" for none) that announces where it serves
// through the standard logger, unless quiet.
func NewExporter(addr string, quiet bool) *Exporter {
	x := &Exporter{addr: addr, logf: log.Printf}
	if quiet {
		x.logf = nil
	}
	return x
}

// Start listens on the Exporter's address and serves stats there (see Listen). It returns the
// listener's error; without an address, or once started, it does nothing. Call it from
// OnInitComplete with the api.Server's Stats.
func (x *Exporter) Start(stats func() api.ServerStats) error {
	if x == nil || x.addr == "" {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ep != nil {
		return nil
	}
	ep, err := Listen(x.addr, stats)
	if err != nil {
		return err
	}
	x.ep = ep
	if x.logf != nil {
		x.logf("metrics: serving %s, profiles on http://%s/debug/pprof/", ep.URL(), ep.Addr())
	}
	return nil
}

// Close stops serving, if Start started; the error is the endpoint's.
func (x *Exporter) Close() error {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	ep := x.ep
	x.ep = nil
	x.mu.Unlock()
	if ep == nil {
		return nil
	}
	return ep.Close()
}
