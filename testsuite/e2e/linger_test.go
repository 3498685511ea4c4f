package e2e

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// refusal is what a refuser answers.
var refusal = []byte("ERR malformed request\r\n")

// refuser answers whatever arrives first with refusal and closes the connection, as an HTTP
// server answers a malformed request with 400 and closes, whatever the client pipelined
// behind it. It hands every opened connection to the test.
type refuser struct {
	testutil.Recorder
	opened chan api.Conn
	// queued, when set, holds React until it is closed: until the client's bytes behind the
	// refused request are in the server's socket, unread.
	queued chan struct{}
}

func newRefuser() *refuser { return &refuser{opened: make(chan api.Conn, 64)} }

func (h *refuser) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened <- c
	return h.Recorder.OnOpened(c)
}

func (h *refuser) React(_ []byte, c api.Conn) api.Action {
	if h.queued != nil {
		select {
		case <-h.queued:
		case <-time.After(testutil.WaitLimit):
		}
	}
	if err := c.AsyncWrite(refusal); err != nil {
		panic(err) // the connection is open here; a failed write is what the test looks for
	}
	return api.Close
}

// lingerReadBuffer is the server's read buffer in these tests: small, so that the first read
// takes only the start of what the client pipelined and the rest is still queued in the
// kernel when the server closes, whatever the scheduling.
const lingerReadBuffer = 1 << 10

// pipelined is a refused request with 1 MiB pipelined behind it.
var pipelined = append([]byte("GET /\x01 HTTP/1.1\r\n\r\n"), testutil.Payload(1<<20, 21)...)

// dialMaybeTLS dials addr, over TLS when cfg is not nil, with every read and write bounded by
// testutil.WaitLimit. The connection is closed when the test ends.
// startOver starts h on loopback over tcp, or a unix socket, with TLS from fixture on top when
// useTLS is set, and returns a client connected to it (its handshake done).
func startOver(t *testing.T, h testutil.Recorded, fixture *tlsutil.Fixture, unix, useTLS bool,
	opts ...server.Option,
) net.Conn {
	t.Helper()
	addr := loopbackAddress(t, unix)
	var clientCfg *tls.Config
	if useTLS {
		opts = append(opts, server.WithTls(fixture.ServerConfig()))
		clientCfg = fixture.ClientConfig()
	}
	srv := testutil.StartServer(t, h, addr, opts...)
	return dialMaybeTLS(t, srv.Addr, clientCfg)
}

func dialMaybeTLS(t *testing.T, addr net.Addr, cfg *tls.Config) net.Conn {
	t.Helper()
	conn := testutil.Dial(t, addr)
	if cfg == nil {
		return conn
	}
	tlsConn := tls.Client(conn, cfg)
	require.NoError(t, tlsConn.Handshake())
	return tlsConn
}

// writeInBackground writes p to conn on a goroutine of its own and returns the channel that
// receives the result, so that the test can read while the write is blocked.
func writeInBackground(conn net.Conn, p []byte) <-chan error {
	written := make(chan error, 1)
	go func() {
		_, err := conn.Write(p)
		written <- err
	}()
	return written
}

// pipelineBehindARefusal sends pipelined to a refuser's client conn and checks that the client
// reads the whole refusal and then end of stream: the server lingered instead of making the
// kernel reset the connection under the reply.
func pipelineBehindARefusal(t *testing.T, conn net.Conn) {
	t.Helper()
	written := writeInBackground(conn, pipelined)
	expectRead(t, conn, refusal)
	expectEOF(t, conn)
	if err := <-written; err != nil {
		// Expected: the server stops taking bytes once it has closed. The reply and the end
		// of stream before the reset are what is tested.
		require.True(t, isReset(err), "the client's write ended with %v", err)
	}
}

// isReset reports whether err says the peer reset the connection or closed its socket.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func TestClientPipeliningBehindARefusedRequestReadsTheWholeReplyThenEOF(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	cases := []struct {
		name string
		unix bool
		tls  bool
	}{
		{name: "tcp"},
		{name: "unix", unix: true},
		{name: "tls", tls: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newRefuser()
			conn := startOver(t, h, fixture, tc.unix, tc.tls, server.WithReadBufferSize(lingerReadBuffer))
			pipelineBehindARefusal(t, conn)
			closures := h.WaitClosures(t, 1)
			require.NoError(t, closures[0].Err)
		})
	}
}

func TestWithoutLingeringTheSamePipeliningClientIsReset(t *testing.T) {
	cases := []struct {
		name string
		unix bool
	}{
		{name: "tcp"},
		{name: "unix", unix: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			h := newRefuser()
			h.queued = make(chan struct{})
			srv := testutil.StartServer(t, h, addr,
				server.WithReadBufferSize(lingerReadBuffer), server.WithLingerTimeout(0))
			conn := testutil.Dial(t, srv.Addr)
			// The refusal waits until more than the server's first read is written: over
			// loopback, a write that returns has put its bytes in the server's socket, so
			// that they are unread when the server closes, whatever the scheduling.
			head := 4 * lingerReadBuffer
			_, err := conn.Write(pipelined[:head])
			require.NoError(t, err)
			close(h.queued)
			written := writeInBackground(conn, pipelined[head:])

			_, err = io.ReadAll(conn)
			werr := <-written
			// The kernel reports a reset once, to whichever of the socket's calls meets it
			// first: the read, or the pipelined write still going on. The other then ends as
			// after a close (the read with end of file, the write with no error or EPIPE).
			require.True(t, err == nil || isReset(err), "the read ended with %v", err)
			require.True(t, werr == nil || isReset(werr) || errors.Is(werr, syscall.EPIPE), "the pipelined write ended with %v", werr)
			require.True(t, isReset(err) || isReset(werr),
				"closing at once with bytes unread resets the peer; the read ended with %v, the write with %v", err, werr)
			closures := h.WaitClosures(t, 1)
			require.NoError(t, closures[0].Err, "for the server it is still a normal close")
		})
	}
}

// Not parallel: it counts the process's descriptors while the server runs.
func TestLingeringEndsAtTheTimeoutWhenThePeerNeverStopsSending(t *testing.T) {
	cases := []struct {
		name string
		unix bool
		// chunk bytes are written every pause; a zero pause writes as fast as the server
		// takes them.
		chunk int
		pause time.Duration
	}{
		{name: "tcp, a trickle that stays under the discard budget", chunk: 16, pause: 5 * time.Millisecond},
		{name: "tcp, a flood past the discard budget", chunk: 64 << 10},
		{name: "unix, a flood past the discard budget", unix: true, chunk: 64 << 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := loopbackAddress(t, tc.unix)
			h := newRefuser()
			srv := testutil.StartServer(t, h, addr, server.WithLingerTimeout(200*time.Millisecond))
			before := testutil.Snapshot(t)
			conn, err := testutil.TryDial(srv.Addr)
			require.NoError(t, err)
			_, err = conn.Write([]byte("refuse me"))
			require.NoError(t, err)
			expectRead(t, conn, refusal)
			expectEOF(t, conn)
			require.NoError(t, h.WaitClosures(t, 1)[0].Err)

			sent, err := sendUntilRefused(conn, tc.chunk, tc.pause)
			require.True(t, isReset(err), "the server never closed the lingering connection: %v", err)
			if tc.pause > 0 {
				require.Less(t, sent, server.MaxLingerDiscard, "the timeout, not the discard budget, must end this one")
			}
			require.NoError(t, conn.Close())
			testutil.RequireNoLeaks(t, before)
			require.Len(t, h.Closures(), 1)
		})
	}
}

// sendUntilRefused writes chunks of size bytes to conn, pausing between them, until a write
// fails, at most for testutil.WaitLimit (the connection's deadline), and returns how many
// bytes it wrote and the error that stopped it.
func sendUntilRefused(conn net.Conn, size int, pause time.Duration) (int, error) {
	chunk := testutil.Payload(size, 22)
	sent := 0
	for {
		n, err := conn.Write(chunk)
		sent += n
		if err != nil {
			return sent, err
		}
		if pause > 0 {
			time.Sleep(pause)
		}
	}
}

// Not parallel: it counts the process's goroutines and descriptors.
func TestServerStopEndsLingeringConnectionsAndLeaksNothing(t *testing.T) {
	cases := []struct {
		name string
		unix bool
	}{
		{name: "tcp"},
		{name: "unix", unix: true},
	}
	for _, tc := range cases {
		before := testutil.Snapshot(t)
		t.Run(tc.name, func(t *testing.T) {
			addr := loopbackAddress(t, tc.unix)
			h := newRefuser()
			// Far longer than the test: only the stop can end these lingers.
			srv, served := testutil.ServeInBackground(t, h, addr, server.WithLingerTimeout(time.Hour))
			conn := testutil.Dial(t, srv.Addr)
			_, err := conn.Write([]byte("refuse me"))
			require.NoError(t, err)
			expectRead(t, conn, refusal)
			expectEOF(t, conn)
			require.NoError(t, h.WaitClosures(t, 1)[0].Err, "OnClosed fires when the linger starts")
			c := <-h.opened
			requireClosedConnRefusesEverything(t, c)

			srv.Close()
			require.NoError(t, testutil.WaitServeReturn(t, served))
			_, err = sendUntilRefused(conn, 16<<10, 0)
			require.True(t, isReset(err), "the stop did not close the lingering socket: %v", err)
			require.Len(t, h.Closures(), 1, "a lingering connection is not reported closed again at the stop")
			require.Zero(t, h.RepeatedCloses())
		})
		testutil.RequireNoLeaks(t, before)
	}
}

// requireClosedConnRefusesEverything checks that every method of c that acts on the
// connection reports it closed.
func requireClosedConnRefusesEverything(t *testing.T, c api.Conn) {
	t.Helper()
	require.ErrorIs(t, c.AsyncWrite([]byte("late")), server.ErrConnClosed)
	require.ErrorIs(t, c.WriteNoCodec([]byte("late")), server.ErrConnClosed)
	require.ErrorIs(t, c.Wake(), server.ErrConnClosed)
	require.ErrorIs(t, c.(api.HalfCloser).CloseWrite(), server.ErrConnClosed)
	require.ErrorIs(t, c.(api.FlowControl).PauseRead(), server.ErrConnClosed)
	require.ErrorIs(t, c.UpgradeTls(&tls.Config{}), server.ErrConnClosed)
	require.NoError(t, c.Close(), "closing twice is not an error")
}

func TestNegativeLingerTimeoutIsRefusedBeforeServing(t *testing.T) {
	t.Parallel()
	h := newRefuser()
	err := server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false),
		server.WithLogger(new(testutil.Logger)), server.WithLingerTimeout(-time.Second))
	require.ErrorIs(t, err, server.ErrInvalidOption)
	require.Zero(t, h.Opened())
	_, served := h.Server()
	require.False(t, served, "OnInitComplete fired for a server that never started")
}
