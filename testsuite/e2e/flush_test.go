package e2e

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// flushPayload is more than the kernel buffers of a client that never reads hold (see
// dialNonReader), so that a flush of it cannot complete unless the client reads.
const flushPayload = 16 << 20

// waitReturned waits for a writer on another goroutine to report, failing the test if it does
// not within testutil.WaitLimit.
func waitReturned[T any](t *testing.T, returned <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-returned:
		return v
	case <-time.After(testutil.WaitLimit):
		t.Fatalf("%s never returned", what)
		var zero T
		return zero
	}
}

// flushScene is a server that hands its connections to the test, a client of it that reads
// nothing unless a test says so, and the server's side of that client's connection.
type flushScene struct {
	h    *connKeeper
	srv  api.Server
	conn *net.TCPConn
	c    api.Conn
	// payload is what a test writes to c.
	payload []byte
}

func newFlushScene(t *testing.T, opts ...server.Option) flushScene {
	t.Helper()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", opts...)
	conn := dialNonReader(t, srv.Addr)
	return flushScene{h: h, srv: srv, conn: conn, c: h.nextConn(t)}
}

func TestFlushWriteToAPeerThatNeverReadsReturnsAtTheWriteTimeoutAndTheConnectionIsClosed(t *testing.T) {
	t.Parallel()
	s := newFlushScene(t, server.WithWriteTimeOut(1))
	returned := make(chan struct{}, 1)
	go func() {
		s.c.FlushWrite(testutil.Payload(flushPayload, 30))
		returned <- struct{}{}
	}()
	waitReturned(t, returned, "FlushWrite")
	closure := s.h.WaitClosedFrom(t, s.conn.LocalAddr().String())
	require.ErrorIs(t, closure.Err, server.ErrWriteTimeout)
}

// flushStarted is how much of the payload the client reads to know that the write was
// queued and that its caller waits for the rest.
const flushStarted = 1 << 10

func TestWriteAndFlushFromAnotherGoroutineSaysHowTheWaitEnded(t *testing.T) {
	cases := []struct {
		name string
		opts []server.Option
		// meanwhile is what happens once the write is under way.
		meanwhile func(t *testing.T, s flushScene)
		want      error
	}{
		{
			name: "the peer reads everything: nil",
			meanwhile: func(t *testing.T, s flushScene) {
				expectRead(t, s.conn, s.payload[flushStarted:])
			},
		},
		{
			name:      "the peer stops reading, write timeout 1 s: ErrWriteTimeout",
			opts:      []server.Option{server.WithWriteTimeOut(1)},
			meanwhile: func(*testing.T, flushScene) {},
			want:      server.ErrWriteTimeout,
		},
		{
			name: "the peer resets the connection: ErrConnClosed",
			meanwhile: func(t *testing.T, s flushScene) {
				require.NoError(t, s.conn.SetLinger(0))
				require.NoError(t, s.conn.Close())
			},
			want: server.ErrConnClosed,
		},
		{
			name:      "the server stops: ErrServerShutdown",
			meanwhile: func(_ *testing.T, s flushScene) { s.srv.Close() },
			want:      server.ErrServerShutdown,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newFlushScene(t, tc.opts...)
			s.payload = testutil.Payload(flushPayload, 31)
			result := make(chan error, 1)
			go func() { result <- s.c.(api.Flusher).WriteAndFlush(s.payload, false) }()
			expectRead(t, s.conn, s.payload[:flushStarted])

			tc.meanwhile(t, s)
			err := waitReturned(t, result, "WriteAndFlush")
			if tc.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestWriteAndFlushThatCannotBeQueuedSaysWhyWithoutWaiting(t *testing.T) {
	fixed, err := codec.NewFixedLengthFrameCodec(8)
	require.NoError(t, err)
	cases := []struct {
		name string
		opts []server.Option
		size int
		// before is done to the connection before the write.
		before func(t *testing.T, c api.Conn, h *connKeeper)
		want   error
	}{
		{
			name: "after CloseWrite: ErrWriteClosed", size: 10,
			before: func(t *testing.T, c api.Conn, _ *connKeeper) {
				require.NoError(t, c.(api.HalfCloser).CloseWrite())
			},
			want: server.ErrWriteClosed,
		},
		{
			name: "on a closed connection: ErrConnClosed", size: 10,
			before: func(t *testing.T, c api.Conn, h *connKeeper) {
				require.NoError(t, c.Close())
				h.WaitClosures(t, 1)
			},
			want: server.ErrConnClosed,
		},
		{
			name: "past the outbound limit: ErrOutboundLimit", size: 2 << 20,
			opts: []server.Option{server.WithMaxOutbound(1 << 20)},
			want: server.ErrOutboundLimit,
		},
		{
			name: "refused by the codec: the codec's error", size: 5,
			opts: []server.Option{server.WithCodec(fixed)},
			want: codec.ErrInvalidFixedLength,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newFlushScene(t, tc.opts...)
			if tc.before != nil {
				tc.before(t, s.c, s.h)
			}
			result := make(chan error, 1)
			go func() { result <- s.c.(api.Flusher).WriteAndFlush(testutil.Payload(tc.size, 32), false) }()
			require.ErrorIs(t, waitReturned(t, result, "WriteAndFlush"), tc.want)
		})
	}
}

// loopFlusher answers every frame with a reply of its size through WriteAndFlush, on the loop,
// and hands the outcome to the test.
type loopFlusher struct {
	echoServer
	reply    []byte
	outcomes chan error
}

func (h *loopFlusher) React(_ []byte, c api.Conn) api.Action {
	h.outcomes <- c.(api.Flusher).WriteAndFlush(h.reply, false)
	return api.None
}

func TestWriteAndFlushOnTheLoopWritesWhatTheSocketTakesAndSaysWhetherSomeIsLeft(t *testing.T) {
	cases := []struct {
		name string
		addr string
		size int
		want error
	}{
		{name: "a reply the socket takes: nil", addr: "tcp://127.0.0.1:0", size: 100},
		{name: "a datagram: nil", addr: "udp://127.0.0.1:0", size: 100},
		{
			name: "more than the socket takes: ErrWritePending, and the rest follows",
			addr: "tcp://127.0.0.1:0", size: flushPayload, want: server.ErrWritePending,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &loopFlusher{reply: testutil.Payload(tc.size, 33), outcomes: make(chan error, 1)}
			srv := testutil.StartServer(t, h, tc.addr)
			var conn net.Conn
			if srv.Addr.Network() == "tcp" {
				conn = dialNonReader(t, srv.Addr)
			} else {
				conn = testutil.Dial(t, srv.Addr)
			}
			_, err := conn.Write([]byte("reply, please"))
			require.NoError(t, err)
			// The client reads nothing before the outcome is known.
			err = waitReturned(t, h.outcomes, "WriteAndFlush")
			if tc.want == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.want)
			}
			expectRead(t, conn, h.reply)
		})
	}
}
