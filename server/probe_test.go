package server

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/gnetio/gnet/api"
)

// probeWait bounds every wait of the tests in this package for something a server or a peer
// does; reaching it means a hang, not a slow machine.
const probeWait = 20 * time.Second

// loopProbe is a handler for tests that look at an accepted connection from its own loop,
// where its descriptor and buffers may be touched: onOpened runs in OnOpened, onFrame for
// every frame, onClosed in OnClosed, all on the loop. Any may be nil.
type loopProbe struct {
	api.EventServer
	started  chan api.Server
	onOpened func(c *conn)
	onFrame  func(frame []byte, c *conn)
	onClosed func(c *conn)
}

func (h *loopProbe) OnInitComplete(srv api.Server) api.Action {
	h.started <- srv
	return api.None
}

func (h *loopProbe) OnOpened(c api.Conn) ([]byte, api.Action) {
	if h.onOpened != nil {
		h.onOpened(c.(*conn))
	}
	return nil, api.None
}

func (h *loopProbe) OnClosed(c api.Conn, _ error) api.Action {
	if h.onClosed != nil {
		h.onClosed(c.(*conn))
	}
	return api.None
}

func (h *loopProbe) React(frame []byte, c api.Conn) api.Action {
	if h.onFrame != nil {
		h.onFrame(frame, c.(*conn))
	}
	return api.None
}

// startProbe serves h on addr without blocking, logging nowhere, and returns the running
// server, closed when the test ends.
func startProbe(t *testing.T, h *loopProbe, addr string, opts ...Option) api.Server {
	t.Helper()
	h.started = make(chan api.Server, 1)
	all := append([]Option{WithLogger(NewZapLogger(zap.NewNop()))}, opts...)
	all = append(all, WithBlock(false))
	require.NoError(t, Serve(h, addr, all...))
	srv := <-h.started
	t.Cleanup(srv.Close)
	return srv
}

// dialProbe connects to srv with every read and write bounded by probeWait; the connection is
// closed when the test ends.
func dialProbe(t *testing.T, srv api.Server) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout(srv.Addr.Network(), srv.Addr.String(), probeWait)
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(probeWait)))
	t.Cleanup(func() { _ = conn.Close() }) // the test is over; a failure changes nothing
	return conn
}
