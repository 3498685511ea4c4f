package e2e

import (
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// greetingServer sends a greeting from OnOpened and echoes what follows.
type greetingServer struct {
	echoServer
	greeting []byte
}

func (h *greetingServer) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.Recorder.OnOpened(c)
	return h.greeting, api.None
}

func TestOnOpenedOutputIsTheFirstBytesTheClientReads(t *testing.T) {
	cases := []struct {
		name  string
		unix  bool
		loops int
	}{
		{name: "tcp, one loop", loops: 1},
		{name: "tcp, acceptor and two loops", loops: 2},
		{name: "unix, acceptor and two loops", unix: true, loops: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			h := &greetingServer{greeting: testutil.Payload(3000, 7)}
			srv := testutil.StartServer(t, h, addr, server.WithLoopNum(tc.loops))
			for client := range 5 {
				conn := testutil.Dial(t, srv.Addr)
				// Written before reading anything: the echo must still come after the greeting.
				msg := []byte(fmt.Sprintf("client %d", client))
				_, err := conn.Write(msg)
				require.NoError(t, err)
				expectRead(t, conn, h.greeting)
				expectRead(t, conn, msg)
			}
		})
	}
}

func TestOnClosedFiresOnceWithNilErrorWhenClientCloses(t *testing.T) {
	t.Parallel()
	h := new(echoServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	const clients = 10
	remotes := make(map[string]bool)
	for i := range clients {
		conn := testutil.Dial(t, srv.Addr)
		require.NoError(t, testutil.RoundTrip(conn, []byte("hello")), "client %d", i)
		remotes[conn.LocalAddr().String()] = true
		require.NoError(t, conn.Close())
	}
	for _, closure := range h.WaitClosures(t, clients) {
		require.True(t, remotes[closure.Remote], "OnClosed for a connection nobody opened: %s", closure.Remote)
		require.NoError(t, closure.Err, "client %s closed normally", closure.Remote)
	}
	// Stopping the server must not report these connections a second time.
	srv.Close()
	require.Len(t, h.Closures(), clients)
	require.Zero(t, h.RepeatedCloses())
}

func TestOnClosedReportsTheResetWhenClientAborts(t *testing.T) {
	t.Parallel()
	h := new(echoServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	conn := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.RoundTrip(conn, []byte("hello")))
	remote := conn.LocalAddr().String()

	// Linger 0 makes close send a reset instead of an orderly end of stream.
	require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
	require.NoError(t, conn.Close())

	closure := h.WaitClosedFrom(t, remote)
	require.Error(t, closure.Err, "a reset is not a normal close")
	require.ErrorIs(t, closure.Err, syscall.ECONNRESET)
	srv.Close()
	require.Zero(t, h.RepeatedCloses())
}

func TestOnClosedReportsServerShutdownForConnectionsOpenAtClose(t *testing.T) {
	cases := []struct {
		name      string
		unix      bool
		loops     int
		reusePort bool
	}{
		{name: "tcp, one loop", loops: 1},
		{name: "tcp, two loops", loops: 2},
		{name: "tcp, two loops with reuseport", loops: 2, reusePort: true},
		{name: "unix, two loops", unix: true, loops: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			h := new(echoServer)
			srv := testutil.StartServer(t, h, addr, server.WithLoopNum(tc.loops), server.WithReusePort(tc.reusePort))
			const clients = 6
			conns := make([]net.Conn, clients)
			for i := range conns {
				conns[i] = testutil.Dial(t, srv.Addr)
				require.NoError(t, testutil.RoundTrip(conns[i], []byte("open")), "client %d", i)
			}

			srv.Close()

			closures := h.Closures()
			require.Len(t, closures, clients, "Close returned before every connection was closed")
			for _, closure := range closures {
				require.ErrorIs(t, closure.Err, server.ErrServerShutdown)
			}
			require.Zero(t, h.RepeatedCloses())
			for _, conn := range conns {
				expectEOF(t, conn)
			}
		})
	}
}

// greetAndClose sends a greeting from OnOpened and closes the connection right away.
type greetAndClose struct {
	greetingServer
}

func (h *greetAndClose) OnOpened(c api.Conn) ([]byte, api.Action) {
	out, _ := h.greetingServer.OnOpened(c)
	return out, api.Close
}

func TestCloseActionFromOnOpenedSendsTheGreetingThenCloses(t *testing.T) {
	t.Parallel()
	h := &greetAndClose{greetingServer: greetingServer{greeting: []byte("bye")}}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	conn := testutil.Dial(t, srv.Addr)
	expectRead(t, conn, h.greeting)
	expectEOF(t, conn)
	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
	require.NoError(t, closure.Err)
}

func TestClosedConnectionRefusesWritesAndWakeUps(t *testing.T) {
	t.Parallel()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
	conn := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	require.NoError(t, conn.Close())
	h.WaitClosures(t, 1)

	require.ErrorIs(t, c.AsyncWrite([]byte("late")), server.ErrConnClosed)
	require.ErrorIs(t, c.WriteNoCodec([]byte("late")), server.ErrConnClosed)
	require.ErrorIs(t, c.Wake(), server.ErrConnClosed)
	require.NoError(t, c.Close(), "closing a closed connection is not an error")
	c.FlushWrite([]byte("late")) // returns at once: nothing to wait for
	require.Len(t, h.Closures(), 1)
}

// Close may come from another goroutine the moment OnInitComplete has handed the server out,
// while Serve is still starting the loops: the stop must wait for the start (or stop it from
// happening), so that Serve returns, nothing is left running and nothing races.
func TestCloseRightAfterOnInitCompleteStopsEverythingServeStarted(t *testing.T) {
	before := testutil.Snapshot(t)
	for i := range 30 {
		h := new(echoServer)
		srv, result := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2), server.WithTicker(i%2 == 0))

		srv.Close()

		select {
		case err := <-result:
			require.NoError(t, err, "round %d", i)
		case <-time.After(testutil.WaitLimit):
			t.Fatalf("round %d: Serve did not return after Close", i)
		}
	}
	testutil.RequireNoLeaks(t, before)
}
