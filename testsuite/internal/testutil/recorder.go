package testutil

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
)

// Recorder is a mix-in for test handlers: embed it (by value) and override the callbacks a
// test needs. It keeps the api.Server handed to OnInitComplete and records every OnOpened and
// OnClosed. A handler that overrides one of those three callbacks calls the Recorder's from
// its own so that the record stays complete. The zero value is ready; every method is safe
// from any goroutine.
type Recorder struct {
	api.EventServer

	mu        sync.Mutex
	server    api.Server
	hasServer bool
	ready     chan struct{} // closed by OnInitComplete; made on first use
	opened    int
	closures  []Closure
	closedBy  map[api.Conn]int
}

// Closure is one OnClosed call.
type Closure struct {
	// Conn is the connection OnClosed was called for. Only its address methods may be used
	// once OnClosed has returned.
	Conn api.Conn
	// Remote is the connection's remote address, which a TCP client sees as its LocalAddr.
	Remote string
	// Err is the reason OnClosed was given.
	Err error
}

// Recorded is what StartServer and ServeInBackground need from a handler: every handler that
// embeds Recorder has it.
type Recorded interface {
	api.EventHandler
	// Recording returns the handler's Recorder.
	Recording() *Recorder
}

// Recording returns r itself, so that a handler embedding Recorder satisfies Recorded.
func (r *Recorder) Recording() *Recorder { return r }

// OnInitComplete keeps s and lets the server start.
func (r *Recorder) OnInitComplete(s api.Server) api.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.server, r.hasServer = s, true
	close(r.readyLocked())
	return api.None
}

// OnOpened counts the connection and sends nothing.
func (r *Recorder) OnOpened(api.Conn) ([]byte, api.Action) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opened++
	return nil, api.None
}

// OnClosed records the connection, its remote address and the reason.
func (r *Recorder) OnClosed(c api.Conn, err error) api.Action {
	remote := ""
	if addr := c.RemoteAddr(); addr != nil {
		remote = addr.String()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closedBy == nil {
		r.closedBy = make(map[api.Conn]int)
	}
	r.closedBy[c]++
	r.closures = append(r.closures, Closure{Conn: c, Remote: remote, Err: err})
	return api.None
}

func (r *Recorder) readyLocked() chan struct{} {
	if r.ready == nil {
		r.ready = make(chan struct{})
	}
	return r.ready
}

// Ready returns a channel closed once OnInitComplete has fired.
func (r *Recorder) Ready() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readyLocked()
}

// Server returns the api.Server handed to OnInitComplete, and false before it fired.
func (r *Recorder) Server() (api.Server, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.server, r.hasServer
}

// Opened returns how many times OnOpened fired.
func (r *Recorder) Opened() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opened
}

// Closures returns a copy of every OnClosed call so far, in order.
func (r *Recorder) Closures() []Closure {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Closure(nil), r.closures...)
}

// RepeatedCloses returns how many OnClosed calls were for a connection already closed: the
// contract says there are none.
func (r *Recorder) RepeatedCloses() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	repeated := 0
	for _, n := range r.closedBy {
		repeated += n - 1
	}
	return repeated
}

// WaitClosures waits until OnClosed has fired at least n times and returns every call so far.
// Call it from the test's goroutine.
func (r *Recorder) WaitClosures(t testing.TB, n int) []Closure {
	t.Helper()
	require.Eventually(t, func() bool { return len(r.Closures()) >= n }, WaitLimit, PollEvery,
		"OnClosed fired fewer than %d times", n)
	return r.Closures()
}

// WaitClosedFrom waits until OnClosed has fired for the connection whose remote address is
// remote (a TCP client's LocalAddr) and returns that call. Call it from the test's goroutine.
func (r *Recorder) WaitClosedFrom(t testing.TB, remote string) Closure {
	t.Helper()
	var found Closure
	require.Eventually(t, func() bool {
		var ok bool
		found, ok = r.ClosedFrom(remote)
		return ok
	}, WaitLimit, PollEvery, "OnClosed never fired for %s", remote)
	return found
}

// ClosedFrom returns the first OnClosed call for the connection whose remote address is
// remote, and whether there was one.
func (r *Recorder) ClosedFrom(remote string) (Closure, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.closures {
		if c.Remote == remote {
			return c, true
		}
	}
	return Closure{}, false
}
