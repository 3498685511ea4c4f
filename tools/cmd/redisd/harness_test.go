package main

import (
	"testing"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/embedded"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// harness runs a redisServer's codec and handler over in-memory connections (api/embedded),
// the way an event loop does.
type harness struct {
	srv *redisServer
}

func newHarness(t testing.TB, limits resp.Limits, opts ...kvstore.Option) *harness {
	t.Helper()
	store, err := kvstore.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{srv: newRedisServer(store, settings{limits: limits, maxOutbound: server.DefaultMaxOutbound, quiet: true})}
}

// open returns a new connection that has been through OnOpened.
func (h *harness) open() *embedded.Conn {
	c := embedded.New(h.srv, embedded.WithCodec(respCodec{}))
	c.Open()
	return c
}

// feed delivers input to c as one read and lets the codec and the handler consume it, as the
// engine does: decode and react until no whole frame is left or an action closes c. It
// returns the last action, and the codec's error if it failed.
func (h *harness) feed(c *embedded.Conn, input []byte) (api.Action, error) {
	// hot path: no allocation once the connection's buffers have grown
	return c.Feed(input)
}

// isClosed reports whether c was closed.
func isClosed(c *embedded.Conn) bool {
	closed, _ := c.Closed()
	return closed
}

// bufferedConn returns a connection without a handler (and so without a session) holding
// input.
func bufferedConn(input []byte) *embedded.Conn {
	c := embedded.New(nil)
	c.Buffer(input)
	return c
}
