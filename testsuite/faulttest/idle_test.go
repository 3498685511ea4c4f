package faulttest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// closeRecorder echoes and records why each connection closed, by remote address.
type closeRecorder struct {
	api.EventServer
	started chan api.Server
	mu      sync.Mutex
	reasons map[string]error
}

func newCloseRecorder() *closeRecorder {
	return &closeRecorder{started: make(chan api.Server, 1), reasons: make(map[string]error)}
}

func (r *closeRecorder) OnInitComplete(s api.Server) api.Action { r.started <- s; return api.None }

func (r *closeRecorder) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame)
	return api.None
}

func (r *closeRecorder) OnClosed(c api.Conn, err error) api.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reasons[c.RemoteAddr().String()] = err
	return api.None
}

func (r *closeRecorder) reason(addr string) (error, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err, ok := r.reasons[addr]
	return err, ok
}

func TestIdleConnectionIsClosedAndABusyOneIsNot(t *testing.T) {
	r := newCloseRecorder()
	require.NoError(t, server.Serve(r, "tcp://127.0.0.1:0", server.WithBlock(false),
		server.WithIdleTimeout(300*time.Millisecond)))
	srv := <-r.started
	t.Cleanup(srv.Close)

	idle, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	// The server closes this one itself; the local close only releases the socket.
	defer func() { _ = idle.Close() }()
	busy, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	defer func() { require.NoError(t, busy.Close()) }()

	// The busy client talks every 50 ms for longer than the idle timeout several times over.
	stop := time.Now().Add(1500 * time.Millisecond)
	buf := make([]byte, 4)
	for time.Now().Before(stop) {
		require.NoError(t, busy.SetDeadline(time.Now().Add(5*time.Second)))
		_, err := busy.Write([]byte("ping"))
		require.NoError(t, err)
		_, err = io.ReadFull(busy, buf)
		require.NoError(t, err, "a connection that keeps talking is not closed as idle")
		time.Sleep(50 * time.Millisecond)
	}

	require.NoError(t, idle.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = idle.Read(buf)
	require.ErrorIs(t, err, io.EOF, "the idle connection was closed by the server")
	require.Eventually(t, func() bool {
		err, ok := r.reason(idle.LocalAddr().String())
		return ok && errors.Is(err, server.ErrIdleTimeout)
	}, 5*time.Second, 10*time.Millisecond, "OnClosed got ErrIdleTimeout")
	_, closed := r.reason(busy.LocalAddr().String())
	require.False(t, closed)
}

// holdingRecorder is a closeRecorder whose React holds its loop for holdFor on the frame
// "hold", as a callback that blocks would.
type holdingRecorder struct {
	*closeRecorder
	holdFor time.Duration
	holding chan struct{}
}

func (h *holdingRecorder) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "hold" {
		close(h.holding)
		time.Sleep(h.holdFor)
		return api.None
	}
	return h.closeRecorder.React(frame, c)
}

// The idle timeout measures the peer's silence, not the loop's: a connection whose bytes
// arrived while its loop was held by a long callback, and were not read yet when the
// housekeeping caught up, has not been idle, however long the hold lasted.
func TestConnectionThatSentWhileItsLoopWasHeldIsNotClosedAsIdle(t *testing.T) {
	h := &holdingRecorder{closeRecorder: newCloseRecorder(), holdFor: time.Second, holding: make(chan struct{})}
	require.NoError(t, server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(1),
		server.WithIdleTimeout(200*time.Millisecond)))
	srv := <-h.started
	t.Cleanup(srv.Close)
	holder, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	defer func() { _ = holder.Close() }() // the server may have closed it as idle: it is
	talker, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	defer func() { require.NoError(t, talker.Close()) }()
	require.NoError(t, talker.SetDeadline(time.Now().Add(30*time.Second)))

	_, err = holder.Write([]byte("hold"))
	require.NoError(t, err)
	<-h.holding
	// Sent early in a hold five times the idle timeout, read only once it is over.
	_, err = talker.Write([]byte("ping"))
	require.NoError(t, err)

	reply := make([]byte, 4)
	_, err = io.ReadFull(talker, reply)
	require.NoError(t, err, "the connection that talked during the hold was closed")
	require.Equal(t, "ping", string(reply))
	_, closed := h.reason(talker.LocalAddr().String())
	require.False(t, closed)
}
