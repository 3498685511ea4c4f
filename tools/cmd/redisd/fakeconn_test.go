package main

import (
	"crypto/tls"
	"errors"
	"net"
	"testing"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// fakeConn is an in-memory api.Conn: inbound bytes are whatever the test feeds, outbound ones
// are collected. It stands in for the engine's connection to drive the codec and the handler
// without sockets.
type fakeConn struct {
	ctx     any
	inbound []byte
	// spare is the array inbound started in, reused once inbound has been consumed.
	spare []byte
	out   []byte
	// writeErr, when set, is returned by every write.
	writeErr error
	writes   int

	// stalled models a client that reads nothing: written bytes stay pending (counted in
	// pending) instead of being sent at once.
	stalled bool
	pending int
	// paused is set between PauseRead and ResumeRead; wakes counts Wake calls and closed
	// records Close.
	paused bool
	wakes  int
	closed bool
}

var (
	_ api.Conn        = (*fakeConn)(nil)
	_ api.FlowControl = (*fakeConn)(nil)
)

var errFakeUnsupported = errors.New("gnet: not supported by the fake connection")

func (c *fakeConn) Context() any                 { return c.ctx }
func (c *fakeConn) SetContext(ctx any)           { c.ctx = ctx }
func (c *fakeConn) LocalAddr() net.Addr          { return nil }
func (c *fakeConn) RemoteAddr() net.Addr         { return nil }
func (c *fakeConn) Read() []byte                 { return c.inbound }
func (c *fakeConn) ResetBuffer()                 { c.inbound = c.inbound[:0] }
func (c *fakeConn) BufferLength() int            { return len(c.inbound) }
func (c *fakeConn) SendTo([]byte) error          { return errFakeUnsupported }
func (c *fakeConn) UpgradeTls(*tls.Config) error { return errFakeUnsupported }
func (c *fakeConn) Wake() error                  { c.wakes++; return nil }
func (c *fakeConn) Close() error                 { c.closed = true; return nil }
func (c *fakeConn) OutboundLength() int          { return c.pending }
func (c *fakeConn) PauseRead() error             { c.paused = true; return nil }
func (c *fakeConn) ResumeRead() error            { c.paused = false; return nil }

// FlushWrite writes buf; the pending bytes stay pending while the client is stalled.
func (c *fakeConn) FlushWrite(buf []byte, _ ...bool) { _ = c.WriteNoCodec(buf) }

// drain models the client reading every pending byte.
func (c *fakeConn) drain() { c.pending = 0 }

func (c *fakeConn) ShiftN(n int) int {
	n = min(max(n, 0), len(c.inbound))
	c.inbound = c.inbound[n:]
	return n
}

func (c *fakeConn) ReadN(n int) (int, []byte) {
	if n <= 0 || len(c.inbound) < n {
		return 0, nil
	}
	buf := c.inbound[:n:n]
	c.inbound = c.inbound[n:]
	return n, buf
}

func (c *fakeConn) AsyncWrite(buf []byte) error { return c.WriteNoCodec(buf) }

func (c *fakeConn) WriteNoCodec(buf []byte) error {
	c.writes++
	if c.writeErr != nil {
		return c.writeErr
	}
	c.out = append(c.out, buf...)
	if c.stalled {
		c.pending += len(buf)
	}
	return nil
}

// harness runs a redisServer's codec and handler over fake connections the way an event
// loop does.
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
func (h *harness) open() *fakeConn {
	c := &fakeConn{}
	h.srv.OnOpened(c)
	return c
}

// feed delivers input to c as one read and lets the codec and the handler consume it, as the
// engine does: decode and react until no whole frame is left or an action closes c. It
// returns the last action, and the codec's error if it failed.
func (h *harness) feed(c *fakeConn, input []byte) (api.Action, error) {
	// hot path: no allocation once the connection's buffers have grown
	if len(c.inbound) == 0 {
		c.spare = append(c.spare[:0], input...)
		c.inbound = c.spare
	} else {
		c.inbound = append(c.inbound, input...)
	}
	for {
		frame, err := respCodec{}.Decode(c)
		if err != nil {
			if errors.Is(err, codec.ErrUnexpectedEOF) {
				return api.None, nil
			}
			return api.Close, err
		}
		if action := h.srv.React(frame, c); action != api.None {
			return action, nil
		}
	}
}
