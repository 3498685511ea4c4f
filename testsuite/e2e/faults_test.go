package e2e

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

func TestPeerResetMidStreamClosesOnlyThatConnectionWithAnError(t *testing.T) {
	t.Parallel()
	h := new(echoServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
	healthy := testutil.Dial(t, srv.Addr)
	conn := testutil.Dial(t, srv.Addr).(*net.TCPConn)
	remote := conn.LocalAddr().String()
	// Far more than the socket buffers hold, so the server is mid-echo when the reset comes.
	written := make(chan error, 1)
	go func() {
		_, err := conn.Write(testutil.Payload(8<<20, 11))
		written <- err
	}()
	_, err := io.ReadFull(conn, make([]byte, 64<<10))
	require.NoError(t, err)
	require.NoError(t, conn.SetLinger(0))
	require.NoError(t, conn.Close())
	if err := <-written; err != nil {
		// Expected when the reset came before the last byte: the reset is what is tested.
		t.Logf("the client's write ended with %v", err)
	}

	closure := h.WaitClosedFrom(t, remote)
	require.Error(t, closure.Err, "a reset mid-stream is not a normal close")
	require.NoError(t, testutil.RoundTrip(healthy, testutil.Payload(100<<10, 12)))
}

func TestHalfClosedClientStillReceivesEveryReplyThenEOF(t *testing.T) {
	cases := []struct {
		name string
		unix bool
		size int
	}{
		{name: "tcp, small", size: 100},
		{name: "tcp, 4 MiB", size: 4 << 20},
		{name: "unix, 4 MiB", unix: true, size: 4 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			h := new(echoServer)
			srv := testutil.StartServer(t, h, addr, server.WithLoopNum(2))
			conn := testutil.Dial(t, srv.Addr)
			payload := testutil.Payload(tc.size, 13)
			written := make(chan error, 1)
			go func() {
				_, err := conn.Write(payload)
				if err == nil {
					err = conn.(interface{ CloseWrite() error }).CloseWrite()
				}
				written <- err
			}()
			expectRead(t, conn, payload)
			expectEOF(t, conn)
			require.NoError(t, <-written)
			closures := h.WaitClosures(t, 1)
			require.NoError(t, closures[0].Err)
		})
	}
}

// panicker echoes frames and panics on a frame that says "panic".
type panicker struct {
	echoServer
}

func (h *panicker) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "panic" {
		panic("the handler gave up")
	}
	return h.echoServer.React(frame, c)
}

func TestPanicInReactClosesOnlyThatConnection(t *testing.T) {
	cases := []struct {
		name  string
		loops int
	}{
		{name: "one loop", loops: 1},
		{name: "two loops", loops: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := new(panicker)
			logger := new(testutil.Logger)
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(tc.loops), server.WithLogger(logger))
			bystanders := []net.Conn{testutil.Dial(t, srv.Addr), testutil.Dial(t, srv.Addr)}
			for _, b := range bystanders {
				require.NoError(t, testutil.RoundTrip(b, []byte("before")))
			}
			conn := testutil.Dial(t, srv.Addr)
			require.NoError(t, testutil.RoundTrip(conn, []byte("fine so far")))
			_, err := conn.Write([]byte("panic"))
			require.NoError(t, err)

			expectClosedByServer(t, conn)
			closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
			require.ErrorIs(t, closure.Err, server.ErrHandlerPanic)
			require.True(t, logger.Contains("the handler gave up"), "the panic was not logged")
			for _, b := range bystanders {
				require.NoError(t, testutil.RoundTrip(b, []byte("after")))
			}
			require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("new connection")))
			require.Len(t, h.Closures(), 1, "only the panicking connection was closed")
		})
	}
}
