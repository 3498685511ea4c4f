package proxytest

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// handedOver bounds the OnOpened and OnProxyHeaderFailed calls a test may leave untaken.
const handedOver = 64

// opening is what the handler saw of a connection when OnOpened fired.
type opening struct {
	remote, local net.Addr
	header        api.ProxyHeader
	hasHeader     bool
}

// refusal is one OnProxyHeaderFailed call.
type refusal struct {
	remote net.Addr
	err    error
}

// proxyEcho echoes every frame and hands the test what OnOpened and OnProxyHeaderFailed saw.
type proxyEcho struct {
	testutil.Recorder
	opened  chan opening
	refused chan refusal
}

func newProxyEcho() *proxyEcho {
	return &proxyEcho{opened: make(chan opening, handedOver), refused: make(chan refusal, handedOver)}
}

func (h *proxyEcho) OnOpened(c api.Conn) ([]byte, api.Action) {
	header, ok := c.(api.ProxyConn).ProxyHeader()
	h.opened <- opening{remote: c.RemoteAddr(), local: c.LocalAddr(), header: header, hasHeader: ok}
	return h.Recorder.OnOpened(c)
}

func (h *proxyEcho) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func (h *proxyEcho) OnProxyHeaderFailed(c api.Conn, err error) {
	h.refused <- refusal{remote: c.RemoteAddr(), err: err}
}

// nextOpening returns what the next connection to open looked like to OnOpened.
func (h *proxyEcho) nextOpening(t *testing.T) opening {
	t.Helper()
	select {
	case o := <-h.opened:
		return o
	case <-time.After(testutil.WaitLimit):
		t.Fatal("OnOpened never fired")
		return opening{}
	}
}

// nextRefusal returns the next OnProxyHeaderFailed call.
func (h *proxyEcho) nextRefusal(t *testing.T) refusal {
	t.Helper()
	select {
	case r := <-h.refused:
		return r
	case <-time.After(testutil.WaitLimit):
		t.Fatal("OnProxyHeaderFailed never fired")
		return refusal{}
	}
}

// requireNoOpening fails the test if OnOpened has fired for a connection the test has not
// taken.
func (h *proxyEcho) requireNoOpening(t *testing.T) {
	t.Helper()
	select {
	case o := <-h.opened:
		t.Fatalf("a connection opened: %+v", o)
	default:
	}
}

// expectEcho writes msg on conn and fails the test unless exactly msg comes back.
func expectEcho(t *testing.T, conn net.Conn, msg string) {
	t.Helper()
	require.NoError(t, testutil.RoundTrip(conn, []byte(msg)))
}

// expectClosedByServer fails the test unless reading conn ends in end of file or a reset, with
// no byte before it.
func expectClosedByServer(t *testing.T, conn net.Conn) {
	t.Helper()
	n, err := io.Copy(io.Discard, conn)
	require.Zero(t, n, "bytes from a connection the server refused")
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("the server never closed the connection: %v", err)
	}
}
