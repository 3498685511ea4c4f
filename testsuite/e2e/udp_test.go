package e2e

import (
	"fmt"
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// datagramAnswerer answers every datagram with SendTo, prefixed with how many datagrams it
// has seen, and hands each datagram's conn to the test.
type datagramAnswerer struct {
	testutil.Recorder
	reacts atomic.Int32
	conns  chan api.Conn
}

func (h *datagramAnswerer) React(frame []byte, c api.Conn) api.Action {
	n := h.reacts.Add(1)
	select {
	case h.conns <- c:
	default: // the test keeps only the first few
	}
	if err := c.SendTo(append([]byte(fmt.Sprintf("%d:", n)), frame...)); err != nil {
		return api.Close
	}
	return api.None
}

func TestUDPReactsOncePerDatagramAndSendToAnswersItsSender(t *testing.T) {
	cases := []struct {
		name      string
		loops     int
		reusePort bool
	}{
		{name: "one loop", loops: 1},
		{name: "two loops with reuseport", loops: 2, reusePort: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &datagramAnswerer{conns: make(chan api.Conn, 1)}
			srv := testutil.StartServer(t, h, "udp://127.0.0.1:0",
				server.WithLoopNum(tc.loops), server.WithReusePort(tc.reusePort))
			clients := []net.Conn{testutil.Dial(t, srv.Addr), testutil.Dial(t, srv.Addr)}
			const perClient = 20
			for i := range perClient {
				for k, conn := range clients {
					msg := fmt.Sprintf("client %d datagram %d", k, i)
					_, err := conn.Write([]byte(msg))
					require.NoError(t, err)
					reply := make([]byte, 256)
					n, err := conn.Read(reply)
					require.NoError(t, err)
					// One React per datagram, in the order sent: the count names this one.
					want := fmt.Sprintf("%d:%s", i*len(clients)+k+1, msg)
					require.Equal(t, want, string(reply[:n]))
				}
			}
			require.EqualValues(t, perClient*len(clients), h.reacts.Load())
			srv.Close()
			require.Zero(t, h.Opened(), "OnOpened fired for datagrams")
			require.Empty(t, h.Closures(), "OnClosed fired for datagrams")
		})
	}
}

func TestUDPConnKeptFromReactAnswersItsSenderLaterFromAnotherGoroutine(t *testing.T) {
	t.Parallel()
	h := &datagramAnswerer{conns: make(chan api.Conn, 1)}
	srv := testutil.StartServer(t, h, "udp://127.0.0.1:0")
	conn := testutil.Dial(t, srv.Addr)
	_, err := conn.Write([]byte("remember me"))
	require.NoError(t, err)
	expectDatagram(t, conn, "1:remember me")
	kept := <-h.conns // buffered by React before it answered

	require.NoError(t, kept.SendTo([]byte("later, by SendTo")))
	expectDatagram(t, conn, "later, by SendTo")
	require.NoError(t, kept.AsyncWrite([]byte("later, by AsyncWrite")))
	expectDatagram(t, conn, "later, by AsyncWrite")
}

func TestSendToOnAStreamConnectionIsRefused(t *testing.T) {
	t.Parallel()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
	conn := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	require.ErrorIs(t, c.SendTo([]byte("not a datagram")), server.ErrNotDatagram)
	require.NoError(t, testutil.RoundTrip(conn, []byte("still a stream")))
}

// expectDatagram reads one datagram and fails the test unless it is want.
func expectDatagram(t *testing.T, conn net.Conn, want string) {
	t.Helper()
	buf := make([]byte, 256)
	n, err := conn.Read(buf)
	require.NoError(t, err)
	require.Equal(t, want, string(buf[:n]))
}
