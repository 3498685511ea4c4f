package clienttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// relay is a minimal TCP proxy on one loop: every accepted connection dials the backend with
// DialFrom and the two halves copy to each other, each pausing the other while its own output
// is above the high watermark.
type relay struct {
	api.EventServer
	backend    string
	started    chan api.Server
	maxPending atomic.Int64 // the most output seen queued on one half
	pauses     atomic.Int32
	// clientOpens and backendOpens count the two kinds of connections opened.
	clientOpens, backendOpens atomic.Int32
}

type half struct {
	peer api.Conn
}

func (r *relay) OnInitComplete(s api.Server) api.Action { r.started <- s; return api.None }

func (r *relay) OnOpened(c api.Conn) ([]byte, api.Action) {
	if c.RemoteAddr().String() == r.backend {
		// The backend half: OnOpened runs before DialFrom's callback, which links it.
		r.backendOpens.Add(1)
		return nil, api.None
	}
	r.clientOpens.Add(1)
	front := &half{}
	c.SetContext(front)
	_ = c.(api.FlowControl).PauseRead() // until the backend is there
	err := server.DialFrom(c, "tcp", r.backend, 5*time.Second, func(b api.Conn, err error) {
		if err != nil {
			_ = c.Close()
			return
		}
		b.SetContext(&half{peer: c})
		front.peer = b
		_ = c.(api.FlowControl).ResumeRead()
	})
	if err != nil {
		return nil, api.Close
	}
	return nil, api.None
}

func (r *relay) React(frame []byte, c api.Conn) api.Action {
	h := c.Context().(*half)
	if h.peer == nil {
		return api.Close
	}
	_ = h.peer.AsyncWrite(frame)
	if n := int64(h.peer.(api.FlowControl).OutboundLength()); n > r.maxPending.Load() {
		r.maxPending.Store(n)
	}
	return api.None
}

// OnWritabilityChanged pauses the half feeding a connection that cannot take more.
func (r *relay) OnWritabilityChanged(c api.Conn, writable bool) {
	h, ok := c.Context().(*half)
	if !ok || h.peer == nil {
		return
	}
	fc := h.peer.(api.FlowControl)
	if writable {
		_ = fc.ResumeRead()
	} else {
		r.pauses.Add(1)
		_ = fc.PauseRead()
	}
}

func (r *relay) OnClosed(c api.Conn, err error) api.Action {
	if h, ok := c.Context().(*half); ok && h.peer != nil {
		_ = h.peer.Close()
	}
	return api.None
}

// slowEchoBackend echoes, but reads nothing until release is closed and then reads in sips
// with pauses, so that output must back up in the relay.
func slowEchoBackend(t *testing.T, release <-chan struct{}) string {
	t.Helper()
	// A small receive buffer, set on the listener so accepted sockets inherit it: loopback
	// buffers otherwise grow to tens of megabytes and absorb the whole payload.
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var sockErr error
		err := rc.Control(func(fd uintptr) {
			sockErr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 32<<10)
		})
		return errors.Join(err, sockErr)
	}}
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				// The backend's side of a test connection: a failed close affects nothing the test checks.
				defer func() { _ = nc.Close() }()
				<-release
				buf := make([]byte, 32<<10)
				for i := 0; ; i++ {
					n, err := nc.Read(buf)
					if n > 0 {
						if _, werr := nc.Write(buf[:n]); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
					if i%64 == 0 {
						time.Sleep(time.Millisecond)
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestRelayWithDialFromAndFlowControlMovesBytesExactlyWithBoundedBuffers(t *testing.T) {
	const low, high = 64 << 10, 256 << 10
	release := make(chan struct{})
	var releaseOnce sync.Once
	t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })
	r := &relay{backend: slowEchoBackend(t, release), started: make(chan api.Server, 1)}
	require.NoError(t, server.Serve(r, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(1),
		server.WithWriteWatermarks(low, high)))
	srv := <-r.started
	t.Cleanup(srv.Close)

	nc, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	// Releases the client socket after the test; the bytes relayed were already checked.
	defer func() { _ = nc.Close() }()
	require.NoError(t, nc.SetDeadline(time.Now().Add(60*time.Second)))
	payload := make([]byte, 16<<20)
	_, _ = rand.Read(payload)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = nc.Write(payload)
	}()
	// The backend reads nothing, so the relay's output to it must pass the high watermark
	// and the relay must stop reading the client.
	require.Eventually(t, func() bool { return r.pauses.Load() > 0 }, 20*time.Second, 5*time.Millisecond,
		"the stalled backend made the relay pause the client side")
	releaseOnce.Do(func() { close(release) })
	got := make([]byte, len(payload))
	_, err = io.ReadFull(nc, got)
	require.NoError(t, err)
	wg.Wait()
	require.True(t, bytes.Equal(payload, got), "16 MiB relayed there and back byte-exact")
	require.EqualValues(t, 1, r.clientOpens.Load())
	require.EqualValues(t, 1, r.backendOpens.Load(), "one backend connection per client, no more")
	// One read can land on top of the high watermark; past that the feeding side is paused.
	require.LessOrEqual(t, r.maxPending.Load(), int64(high+server.DefaultReadBufferSize),
		"queued output stays bounded by the watermark plus one read")
	t.Logf("pauses: %d, most output queued on one half: %d bytes", r.pauses.Load(), r.maxPending.Load())
}

func TestDialFromReportsARefusedConnectToItsCallback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := ln.Addr().String()
	require.NoError(t, ln.Close())

	outcome := make(chan error, 1)
	h := &dialOnOpen{target: closedAddr, outcome: outcome, started: make(chan api.Server, 1)}
	require.NoError(t, server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false)))
	srv := <-h.started
	t.Cleanup(srv.Close)
	nc, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	// The connection only triggers OnOpened; closing it afterwards is not part of the test.
	defer func() { _ = nc.Close() }()
	select {
	case err := <-outcome:
		require.Error(t, err)
		require.Contains(t, err.Error(), "refused")
	case <-time.After(10 * time.Second):
		t.Fatal("DialFrom never called back")
	}
}

type dialOnOpen struct {
	api.EventServer
	target  string
	outcome chan error
	started chan api.Server
}

func (d *dialOnOpen) OnInitComplete(s api.Server) api.Action { d.started <- s; return api.None }

func (d *dialOnOpen) OnOpened(c api.Conn) ([]byte, api.Action) {
	if err := server.DialFrom(c, "tcp", d.target, time.Second, func(_ api.Conn, err error) { d.outcome <- err }); err != nil {
		d.outcome <- err
	}
	return nil, api.None
}
