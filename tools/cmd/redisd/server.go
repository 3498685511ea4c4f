package main

import (
	"log"
	"sync"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
	"github.com/gnetio/gnet/tools/metrics"
)

// expiryInterval is how often the expiry cycle samples keys with a time to live; Redis's
// default hz is 10.
const expiryInterval = 100 * time.Millisecond

// redisServer is the event handler: one per server, shared by every loop. Its fields are set
// before Serve and read-only afterwards, but for the api.Server, which arrives once.
type redisServer struct {
	api.EventServer
	store    *kvstore.Store
	commands commandTable
	limits   resp.Limits
	output   outputLimits
	quiet    bool
	// metrics serves the statistics once the server runs; nil: not at all.
	metrics *metrics.Exporter

	mu      sync.Mutex
	running *api.Server
	// stopRequested is set by a close that came before the server was running.
	stopRequested bool
}

// newRedisServer returns the handler for the settings cfg: its limits, outbound limit and
// verbosity.
func newRedisServer(store *kvstore.Store, cfg settings) *redisServer {
	return &redisServer{
		store: store, commands: newCommandTable(), limits: cfg.limits,
		output: outputLimitsFor(cfg.maxOutbound), quiet: cfg.quiet,
	}
}

// OnInitComplete keeps the running server, so that close can stop it, and stops it at once
// if close came first.
func (rs *redisServer) OnInitComplete(srv api.Server) api.Action {
	rs.mu.Lock()
	rs.running = &srv
	stop := rs.stopRequested
	rs.mu.Unlock()
	if stop {
		return api.Shutdown
	}
	if !rs.quiet {
		log.Printf("redisd: serving %s on %s with %d event loop(s), reuseport=%v",
			srv.Addr.Network(), srv.Addr, srv.NumEventLoop, srv.ReUsePort)
	}
	if err := rs.metrics.Start(srv.Stats); err != nil {
		log.Printf("redisd: %v", err)
		return api.Shutdown
	}
	return api.None
}

// OnOpened gives the connection its session. The engine's stream connections all offer flow
// control, which pacing needs.
func (rs *redisServer) OnOpened(c api.Conn) ([]byte, api.Action) {
	flow, ok := c.(api.FlowControl)
	if !ok {
		log.Printf("redisd: closing a connection from %v: it offers no flow control", c.RemoteAddr())
		return nil, api.Close
	}
	c.SetContext(newSession(rs, c, flow))
	return nil, api.None
}

// OnClosed drops the session, and with it the connection's buffers.
func (rs *redisServer) OnClosed(c api.Conn, _ error) api.Action {
	c.SetContext(nil)
	return api.None
}

// React executes the batch of commands whose first the codec decoded into frame. Called for
// a wake-up, which a session asks for when it blocks, it resumes the session if its output
// has drained.
func (rs *redisServer) React(frame []byte, c api.Conn) api.Action {
	// hot path: no allocation
	s, ok := c.Context().(*session)
	switch {
	case !ok:
		return api.None
	case !s.decoded:
		return s.resume()
	}
	s.decoded = false
	return s.serve(frame)
}

// Tick runs the active expiry cycle.
func (rs *redisServer) Tick() (time.Duration, api.Action) {
	rs.store.ExpireCycle()
	return expiryInterval, api.None
}

// close stops the server, or makes it stop as soon as it has started; it may be called from
// any goroutine but the server's own.
func (rs *redisServer) close() {
	rs.mu.Lock()
	running := rs.running
	rs.stopRequested = true
	rs.mu.Unlock()
	if running != nil {
		running.Close()
	}
}
