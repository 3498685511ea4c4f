package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// pauseCountingProxy records how often the proxy paused a feeding half and the most output
// seen queued on a half right after a relay into it.
type pauseCountingProxy struct {
	*proxy
	pauses     atomic.Int32
	maxPending atomic.Int64
}

func (cp *pauseCountingProxy) OnWritabilityChanged(c api.Conn, writable bool) {
	if !writable {
		cp.pauses.Add(1)
	}
	cp.proxy.OnWritabilityChanged(c, writable)
}

func (cp *pauseCountingProxy) React(frame []byte, c api.Conn) api.Action {
	action := cp.proxy.React(frame, c)
	if h, ok := c.Context().(*half); ok && h.peer != nil {
		if n := int64(h.peer.(api.FlowControl).OutboundLength()); n > cp.maxPending.Load() {
			cp.maxPending.Store(n) // the test relays one pair, so only its loop stores
		}
	}
	return action
}

// stalledEchoBackend echoes once release is closed and reads nothing before, with a small
// receive buffer so that the proxy's output to it backs up instead of vanishing into the kernel.
func stalledEchoBackend(t *testing.T, release <-chan struct{}) string {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var sockErr error
		err := rc.Control(func(fd uintptr) {
			sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 32<<10)
		})
		return errors.Join(err, sockErr)
	}}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() }) // closing stops the accept loop; nothing else to check
	gated := &gatedListener{Listener: ln, release: release}
	go serveEcho(gated, new(atomic.Int32))
	return ln.Addr().String()
}

// gatedListener hands out connections that read nothing until release is closed.
type gatedListener struct {
	net.Listener
	release <-chan struct{}
}

func (g *gatedListener) Accept() (net.Conn, error) {
	nc, err := g.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &gatedConn{Conn: nc, release: g.release}, nil
}

type gatedConn struct {
	net.Conn
	release <-chan struct{}
}

func (g *gatedConn) Read(p []byte) (int, error) {
	<-g.release
	return g.Conn.Read(p)
}

func TestProxyPausesTheClientWhileTheBackendCannotKeepUp(t *testing.T) {
	release := make(chan struct{})
	var releaseOnce sync.Once
	t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })
	backend := stalledEchoBackend(t, release)
	var counting *pauseCountingProxy
	px := startWrappedProxy(t, []string{backend}, func(p *proxy) api.EventHandler {
		counting = &pauseCountingProxy{proxy: p}
		return counting
	})
	// The health checks connect too; their gated reads end when the test releases them.

	payload := randomMessages(t, 1, 4<<20)
	result := make(chan error, 1)
	var got []byte
	go func() {
		var err error
		got, err = exchange(px.addr, payload)
		result <- err
	}()
	require.Eventually(t, func() bool { return counting.pauses.Load() > 0 }, ioDeadline, 5*time.Millisecond,
		"the stalled backend made the proxy pause the client")
	releaseOnce.Do(func() { close(release) })
	require.NoError(t, <-result)
	assert.True(t, bytes.Equal(payload[0], got), "4 MiB relayed there and back byte-exact")
	assert.LessOrEqual(t, counting.maxPending.Load(), int64(highWatermark+server.DefaultReadBufferSize),
		"queued output stays bounded by the high watermark plus one read")
}
