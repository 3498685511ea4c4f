package e2e

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// How a test asks the server to end a connection whose output the peer never reads.
const (
	endByCloseAction = "close action"
	endByConnClose   = "Conn.Close from another goroutine"
	endByCloseWrite  = "CloseWrite"
	endBySignalClose = "graceful stop (SignalClose)"
)

// stuckCloser answers the frame "flood" with a reply far larger than every kernel buffer
// between it and a peer that reads nothing, then ends the connection the way its test asks.
type stuckCloser struct {
	testutil.Recorder
	how     string
	reply   []byte
	opened  chan api.Conn
	flooded chan struct{} // closed once the reply is queued
}

func (h *stuckCloser) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened <- c
	return h.Recorder.OnOpened(c)
}

func (h *stuckCloser) React(frame []byte, c api.Conn) api.Action {
	if !bytes.Equal(frame, []byte("flood")) {
		return api.None
	}
	if err := c.AsyncWrite(h.reply); err != nil {
		panic(err) // the connection is open here; the test is about what follows
	}
	close(h.flooded)
	switch h.how {
	case endByCloseAction:
		return api.Close
	case endByCloseWrite:
		if err := c.(api.HalfCloser).CloseWrite(); err != nil {
			panic(err)
		}
	}
	return api.None
}

// SignalClose closes the connection, as the seed asks of a handler during a graceful stop.
func (h *stuckCloser) SignalClose(c api.Conn) { _ = c.Close() }

// Every state in which a connection holds a descriptor and queued output is bounded in time: a
// connection asked to end while its output is stuck behind a peer that never reads is closed
// at the write timeout, with ErrWriteTimeout passed to OnClosed, however it was asked to end.
// A graceful stop therefore waits for it no longer than the write timeout, not the whole drain
// deadline.
func TestClosingConnectionWhosePeerNeverReadsIsReleasedAtTheWriteTimeout(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	cases := []struct {
		how  string
		unix bool
		tls  bool
	}{
		{how: endByCloseAction},
		{how: endByCloseAction, unix: true},
		{how: endByCloseAction, tls: true},
		{how: endByConnClose},
		{how: endByConnClose, tls: true},
		{how: endByCloseWrite},
		{how: endByCloseWrite, tls: true},
		{how: endBySignalClose},
		{how: endBySignalClose, tls: true},
	}
	for _, tc := range cases {
		name := tc.how
		switch {
		case tc.unix:
			name += ", unix"
		case tc.tls:
			name += ", tls"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := &stuckCloser{how: tc.how, reply: testutil.Payload(16<<20, 41), opened: make(chan api.Conn, 1), flooded: make(chan struct{})}
			opts := []server.Option{server.WithWriteTimeOut(1)}
			if tc.how == endBySignalClose {
				// A drain deadline far past every wait of the test: the stop must end
				// because the connection is released, not because the drain gave up.
				opts = append(opts, server.WithGraceful(true), server.WithDrainTimeout(time.Hour))
			}
			conn := startOver(t, h, fixture, tc.unix, tc.tls, opts...)
			if tcp, ok := conn.(*net.TCPConn); ok {
				require.NoError(t, tcp.SetReadBuffer(32<<10))
			}
			c := <-h.opened
			srv, _ := h.Server()

			_, err := conn.Write([]byte("flood"))
			require.NoError(t, err)
			stopped := make(chan struct{})
			switch tc.how {
			case endByConnClose:
				<-h.flooded
				require.NoError(t, c.Close())
			case endBySignalClose:
				<-h.flooded
				go func() {
					srv.Close()
					close(stopped)
				}()
			}

			closures := h.WaitClosures(t, 1)
			require.ErrorIs(t, closures[0].Err, server.ErrWriteTimeout)
			expectClosedByServer(t, conn)
			if tc.how == endBySignalClose {
				select {
				case <-stopped:
				case <-time.After(testutil.WaitLimit):
					t.Fatal("the graceful stop still waits for a connection it has closed")
				}
			}
		})
	}
}
