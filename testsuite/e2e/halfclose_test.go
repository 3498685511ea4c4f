package e2e

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// writeCloser keeps every byte it receives and hands every opened connection to the test. A
// frame equal to trigger makes React queue reply, call CloseWrite and try one more write, on
// the loop.
type writeCloser struct {
	testutil.Recorder
	opened  chan api.Conn
	trigger []byte
	reply   []byte

	mu        sync.Mutex
	received  []byte
	lateWrite error // the write React tried after CloseWrite
}

func newWriteCloser(trigger, reply []byte) *writeCloser {
	return &writeCloser{opened: make(chan api.Conn, 64), trigger: trigger, reply: reply}
}

func (h *writeCloser) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened <- c
	return h.Recorder.OnOpened(c)
}

func (h *writeCloser) React(frame []byte, c api.Conn) api.Action {
	if h.trigger != nil && bytes.Equal(frame, h.trigger) {
		if err := c.AsyncWrite(h.reply); err != nil {
			panic(err) // the connection is open here; a failed write is what the test looks for
		}
		if err := c.(api.HalfCloser).CloseWrite(); err != nil {
			panic(err) // as above
		}
		late := c.AsyncWrite([]byte("late"))
		h.mu.Lock()
		h.lateWrite = late
		h.mu.Unlock()
		return api.None
	}
	h.mu.Lock()
	h.received = append(h.received, frame...)
	h.mu.Unlock()
	return api.None
}

// waitReceived waits until the frames the handler kept (the trigger aside) are exactly want.
func (h *writeCloser) waitReceived(t *testing.T, want []byte) {
	t.Helper()
	require.Eventually(t, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return bytes.Equal(h.received, want)
	}, testutil.WaitLimit, testutil.PollEvery, "the server did not receive what the client sent after our end of stream")
}

func TestCloseWriteDeliversEverythingQueuedThenEOFAndKeepsReading(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	trigger := []byte("your turn to stop")
	cases := []struct {
		name   string
		unix   bool
		tls    bool
		onLoop bool // CloseWrite from React instead of from the test's goroutine
	}{
		{name: "tcp, from another goroutine"},
		{name: "tcp, on the loop", onLoop: true},
		{name: "unix, from another goroutine", unix: true},
		{name: "tls, from another goroutine", tls: true},
		{name: "tls, on the loop", tls: true, onLoop: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reply := testutil.Payload(4<<20, 31)
			h := newWriteCloser(nil, reply)
			if tc.onLoop {
				h.trigger = trigger
			}
			conn := startOver(t, h, fixture, tc.unix, tc.tls)
			c := <-h.opened

			if tc.onLoop {
				_, err := conn.Write(trigger)
				require.NoError(t, err)
			} else {
				require.NoError(t, c.AsyncWrite(reply))
				require.NoError(t, c.(api.HalfCloser).CloseWrite())
				require.NoError(t, c.(api.HalfCloser).CloseWrite(), "a second CloseWrite does nothing")
				require.ErrorIs(t, c.AsyncWrite([]byte("late")), server.ErrWriteClosed)
			}
			expectRead(t, conn, reply)
			expectEOF(t, conn)
			after := testutil.Payload(256<<10, 32)
			_, err := conn.Write(after)
			require.NoError(t, err)
			h.waitReceived(t, after)

			if tc.onLoop {
				h.mu.Lock()
				require.ErrorIs(t, h.lateWrite, server.ErrWriteClosed)
				h.mu.Unlock()
			}
			require.Empty(t, h.Closures(), "our end of stream does not close the connection")
			require.NoError(t, conn.Close())
			closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
			require.NoError(t, closure.Err)
		})
	}
}

// wholeInputAnswerer answers only once the peer has finished sending, with everything it
// sent, as sort or a checksum service would. It implements api.ReadClosedHandler; async makes
// it answer and close from another goroutine after OnReadClosed has returned, instead of in
// OnReadClosed.
type wholeInputAnswerer struct {
	testutil.Recorder
	async bool

	mu         sync.Mutex
	readClosed int // OnReadClosed calls
}

func (h *wholeInputAnswerer) OnOpened(c api.Conn) ([]byte, api.Action) {
	c.SetContext(new(bytes.Buffer))
	return h.Recorder.OnOpened(c)
}

func (h *wholeInputAnswerer) React(frame []byte, c api.Conn) api.Action {
	_, _ = c.Context().(*bytes.Buffer).Write(frame) // a bytes.Buffer write never fails
	return api.None
}

func (h *wholeInputAnswerer) OnReadClosed(c api.Conn) api.Action {
	h.mu.Lock()
	h.readClosed++
	h.mu.Unlock()
	input := c.Context().(*bytes.Buffer).Bytes()
	if !h.async {
		if err := c.AsyncWrite(input); err != nil {
			panic(err) // the connection is open here; a failed write is what the test looks for
		}
		return api.Close
	}
	go func() {
		// A failure shows as a missing reply in the test.
		if c.AsyncWrite(input) == nil {
			_ = c.Close() // closing an open connection from here cannot fail but at shutdown
		}
	}()
	return api.None
}

// readClosedCalls returns how many times OnReadClosed fired.
func (h *wholeInputAnswerer) readClosedCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.readClosed
}

// closeWriteOf shuts conn down for writing: shutdown(SHUT_WR) for TCP and unix sockets, a
// close_notify alert for TLS.
func closeWriteOf(t *testing.T, conn net.Conn) {
	t.Helper()
	require.NoError(t, conn.(interface{ CloseWrite() error }).CloseWrite())
}

func TestHalfCloseOptionKeepsTheConnectionOpenForTheReplyAfterThePeerEnds(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	cases := []struct {
		name  string
		unix  bool
		tls   bool
		async bool
	}{
		{name: "tcp, reply in OnReadClosed"},
		{name: "tcp, reply from another goroutine afterwards", async: true},
		{name: "unix, reply from another goroutine afterwards", unix: true, async: true},
		{name: "tls, reply from another goroutine afterwards", tls: true, async: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &wholeInputAnswerer{async: tc.async}
			conn := startOver(t, h, fixture, tc.unix, tc.tls, server.WithHalfClose(true))
			request := testutil.Payload(1<<20, 33)

			_, err := conn.Write(request)
			require.NoError(t, err)
			closeWriteOf(t, conn)
			expectRead(t, conn, request)
			expectEOF(t, conn)

			closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
			require.NoError(t, closure.Err)
			require.Equal(t, 1, h.readClosedCalls())
		})
	}
}

func TestPeerEndClosesAsBeforeUnlessTheOptionAndTheHandlerBothAskForHalfClose(t *testing.T) {
	cases := []struct {
		name      string
		halfClose bool
		handler   testutil.Recorded
		// wantEcho says whether the client gets its request back before the end of stream.
		wantEcho bool
	}{
		{name: "option on, handler without OnReadClosed", halfClose: true, handler: new(echoServer), wantEcho: true},
		{name: "option off, handler with OnReadClosed", halfClose: false, handler: new(wholeInputAnswerer)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, tc.handler, "tcp://127.0.0.1:0", server.WithHalfClose(tc.halfClose))
			conn := testutil.Dial(t, srv.Addr)
			request := []byte("the whole request")
			_, err := conn.Write(request)
			require.NoError(t, err)
			closeWriteOf(t, conn)

			got, err := io.ReadAll(conn)
			require.NoError(t, err, "the server closes in order: end of stream, not a reset")
			if tc.wantEcho {
				require.Equal(t, request, got)
			} else {
				require.Empty(t, got)
			}
			closure := tc.handler.Recording().WaitClosedFrom(t, conn.LocalAddr().String())
			require.NoError(t, closure.Err)
			if w, ok := tc.handler.(*wholeInputAnswerer); ok {
				require.Zero(t, w.readClosedCalls(), "OnReadClosed is not called without the option")
			}
		})
	}
}

func TestHalfClosedConnectionIsClosedWhenThePeerGoesAway(t *testing.T) {
	cases := []struct {
		name    string
		unix    bool
		reset   bool // the client aborts with a reset instead of closing
		wantErr bool
	}{
		{name: "tcp, the peer resets", reset: true, wantErr: true},
		{name: "unix, the peer closes", unix: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			// An answerer that never answers: only the peer can end these connections.
			h := &silentAfterInput{}
			srv := testutil.StartServer(t, h, addr, server.WithHalfClose(true))
			conn := testutil.Dial(t, srv.Addr)
			remote := conn.LocalAddr().String()
			_, err := conn.Write([]byte("request"))
			require.NoError(t, err)
			closeWriteOf(t, conn)
			require.Eventually(t, func() bool { return h.readClosedCalls() == 1 }, testutil.WaitLimit, testutil.PollEvery)

			if tc.reset {
				require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
			}
			require.NoError(t, conn.Close())

			closure := h.WaitClosedFrom(t, remote)
			if tc.wantErr {
				require.Error(t, closure.Err, "a reset is not a normal close")
			} else {
				require.NoError(t, closure.Err)
			}
		})
	}
}

// silentAfterInput keeps a connection open once the peer has ended its side, and never
// writes or closes it.
type silentAfterInput struct {
	testutil.Recorder

	mu         sync.Mutex
	readClosed int
}

func (h *silentAfterInput) OnReadClosed(api.Conn) api.Action {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.readClosed++
	return api.None
}

func (h *silentAfterInput) readClosedCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.readClosed
}
