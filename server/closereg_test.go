package server

import (
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// A connection's descriptor is closed without an epoll_ctl of its own. When a duplicate of it
// lives on (here made by the test; a fork about to exec makes one for a moment), the kernel
// keeps the registration, and its events, carrying the closed connection's token, must reach
// no one: not the next connection, which got the same descriptor number, nor the loop's other
// work. Once the duplicate is closed they stop.
func TestEventsOfAClosedConnectionWhoseDescriptorLivesOnInADuplicateReachNoOne(t *testing.T) {
	type opened struct{ fd, dup int }
	opens := make(chan opened, 4)
	var mu sync.Mutex
	var frames [][]byte
	framesDone := make(chan struct{}, 64)
	h := &loopProbe{
		onOpened: func(c *conn) {
			dup := -1
			if len(opens) == 0 { // the first connection only
				var err error
				dup, err = unix.Dup(c.fd)
				require.NoError(t, err)
			}
			opens <- opened{fd: c.fd, dup: dup}
		},
		onFrame: func(frame []byte, c *conn) {
			if bytes.Equal(frame, []byte("bye")) {
				_ = c.Close()
				return
			}
			mu.Lock()
			frames = append(frames, append([]byte(nil), frame...))
			mu.Unlock()
			_ = c.AsyncWrite(frame)
			framesDone <- struct{}{}
		},
	}
	closed := make(chan struct{}, 4)
	h.onClosed = func(*conn) { closed <- struct{}{} }
	srv := startProbe(t, h, "tcp://127.0.0.1:0", WithLingerTimeout(0))

	first := dialProbe(t, srv)
	a := <-opens
	t.Cleanup(func() { _ = unix.Close(a.dup) })
	_, err := first.Write([]byte("bye"))
	require.NoError(t, err)
	// The duplicate keeps the socket itself open, so the client hears nothing of the close.
	select {
	case <-closed:
	case <-time.After(probeWait):
		t.Fatal("OnClosed never fired for the first connection")
	}

	// Bytes sent now make the duplicate's file readable: its registration reports at every
	// turn, since nothing reads them.
	_, err = first.Write([]byte("stale bytes nobody reads"))
	require.NoError(t, err)

	second := dialProbe(t, srv)
	b := <-opens
	if b.fd != a.fd {
		t.Logf("the second connection got fd %d, not the first's %d; the stale events still must reach no one", b.fd, a.fd)
	}
	for i := range 200 {
		msg := []byte{'m', byte('a' + i%26)}
		_, err := second.Write(msg)
		require.NoError(t, err)
		got := make([]byte, len(msg))
		_, err = io.ReadFull(second, got)
		require.NoError(t, err)
		require.Equal(t, msg, got)
		<-framesDone
	}
	mu.Lock()
	require.Len(t, frames, 200, "a frame reached React that the second client never sent")
	for _, f := range frames {
		require.Equal(t, byte('m'), f[0], "the first connection's bytes reached React")
	}
	mu.Unlock()

	// With the duplicate closed, the registration is gone with the open file.
	require.NoError(t, unix.Close(a.dup))
	a.dup = -1
	_, err = second.Write([]byte("mz"))
	require.NoError(t, err)
	got := make([]byte, 2)
	require.NoError(t, second.SetReadDeadline(time.Now().Add(probeWait)))
	_, err = io.ReadFull(second, got)
	require.NoError(t, err)
	require.Equal(t, "mz", string(got))
}
