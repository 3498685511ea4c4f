package e2e

import (
	"errors"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// echoServer writes every frame back through the codec.
type echoServer struct {
	testutil.Recorder
}

func (h *echoServer) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// connKeeper is an echo server that also hands every opened connection to the test, for
// tests that act on a connection from outside the loop.
type connKeeper struct {
	echoServer
	opened *testutil.Conns
}

func newConnKeeper() *connKeeper { return &connKeeper{opened: testutil.NewConns(64)} }

func (h *connKeeper) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened.Put(c)
	return h.Recorder.OnOpened(c)
}

// nextConn returns the next connection the server opened.
func (h *connKeeper) nextConn(t *testing.T) api.Conn {
	t.Helper()
	return h.opened.Next(t)
}

// expectRead reads exactly len(want) bytes and fails the test unless they are want.
func expectRead(t *testing.T, conn net.Conn, want []byte) {
	t.Helper()
	got := make([]byte, len(want))
	_, err := io.ReadFull(conn, got)
	require.NoError(t, err)
	require.NoError(t, testutil.SameBytes(got, want))
}

// expectEOF fails the test unless the server has closed conn's reading side cleanly.
func expectEOF(t *testing.T, conn net.Conn) {
	t.Helper()
	n, err := conn.Read(make([]byte, 1))
	require.Zero(t, n, "a byte arrived where end of file was expected")
	require.ErrorIs(t, err, io.EOF)
}

// expectClosedByServer fails the test unless reading conn ends in end of file or a reset,
// rather than data or a timeout.
func expectClosedByServer(t *testing.T, conn net.Conn) {
	t.Helper()
	_, err := io.Copy(io.Discard, conn)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("the server never closed the connection: %v", err)
	}
}
