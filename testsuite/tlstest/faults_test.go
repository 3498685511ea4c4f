package tlstest

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// expectClosedByServer reads from conn until the server's close shows, and fails the test if
// the server sent data instead of closing. A TLS alert may come first; what matters is that
// the stream ends.
func expectClosedByServer(t *testing.T, conn net.Conn) {
	t.Helper()
	_, err := io.Copy(io.Discard, conn)
	var netErr net.Error
	if err != nil && assert.ErrorAs(t, err, &netErr) {
		assert.False(t, netErr.Timeout(), "the server closed the connection rather than leave it hanging")
	}
}

func TestGarbageInsteadOfAClientHelloClosesOnlyThatConnection(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	h := &echoHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithLoopNum(1))
	bystander := dialTLS(t, addr, fixture.ClientConfig())
	require.NoError(t, testutil.RoundTrip(bystander, []byte("before")))

	tests := []struct {
		name    string
		garbage []byte
	}{
		{name: "an HTTP request", garbage: []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")},
		{name: "zero bytes", garbage: make([]byte, 64)},
		{name: "a record header announcing an oversized record",
			garbage: append([]byte{0x16, 0x03, 0x01, 0xff, 0xff}, bytes.Repeat([]byte{0xaa}, 64)...)},
		{name: "a ClientHello whose body is malformed",
			garbage: []byte{0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef}},
		{name: "an application data record before any handshake",
			garbage: append([]byte{0x17, 0x03, 0x03, 0x00, 0x20}, bytes.Repeat([]byte{0x55}, 32)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := dialRaw(t, addr)
			_, err := raw.Write(tt.garbage)
			require.NoError(t, err)
			assert.Error(t, closedErr(t, h, raw.LocalAddr()), "OnClosed reports the failed handshake")
			expectClosedByServer(t, raw)

			require.NoError(t, testutil.RoundTrip(bystander, []byte("still here after "+tt.name)))
			fresh := dialTLS(t, addr, fixture.ClientConfig())
			require.NoError(t, testutil.RoundTrip(fresh, []byte("new client after "+tt.name)))
		})
	}
}

func TestStalledHandshakeTimesOutWhileTheLoopKeepsServing(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	hello := clientHello(t, fixture.ClientConfig())
	// The proof needs the echoes to finish while the staller is still pending. A machine
	// slow enough to let the timeout pass first gets a longer timeout rather than a
	// verdict about time.
	for _, timeout := range []time.Duration{300 * time.Millisecond, 1200 * time.Millisecond, 4800 * time.Millisecond} {
		if echoesWhileAHandshakeStalls(t, fixture, hello, timeout) {
			return
		}
		t.Logf("the stalled handshake timed out (%v) before the echoes were done; trying a longer timeout", timeout)
	}
	t.Fatal("the stalled handshake never outlasted the echoes")
}

// echoesWhileAHandshakeStalls runs one attempt: a client sends half a ClientHello and then
// nothing to a single-loop server, another client echoes while it stalls, and the staller
// is closed with ErrTLSHandshakeTimeout. It reports false, without failing t, when the
// staller timed out before the echoes finished, which proves nothing either way.
func echoesWhileAHandshakeStalls(t *testing.T, fixture *tlsutil.Fixture, hello []byte, timeout time.Duration) bool {
	t.Helper()
	const echoes = 50
	h := &echoHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithLoopNum(1),
		server.WithTLSHandshakeTimeout(timeout))

	staller := dialRaw(t, addr)
	_, err := staller.Write(hello[:len(hello)/2])
	require.NoError(t, err)
	stallerAddr := staller.LocalAddr().String()
	// The staller is the server's first connection.
	require.Eventually(t, func() bool { return h.Opened() == 1 }, testutil.WaitLimit, testutil.PollEvery)

	worker := dialTLS(t, addr, fixture.ClientConfig())
	for i := range echoes {
		require.NoError(t, testutil.RoundTrip(worker, testutil.Payload(128, uint64(i))), "echo %d", i)
	}
	if _, closed := h.ClosedFrom(stallerAddr); closed {
		return false
	}

	assert.ErrorIs(t, closedErr(t, h, staller.LocalAddr()), server.ErrTLSHandshakeTimeout)
	expectClosedByServer(t, staller)
	require.NoError(t, testutil.RoundTrip(worker, []byte("after the staller is gone")))
	_, workerClosed := h.ClosedFrom(worker.LocalAddr().String())
	assert.False(t, workerClosed, "the echoing client was not touched by the timeout")
	return true
}

// resetWithoutClose makes the kernel answer conn's close with a reset (SO_LINGER 0).
func resetWithoutClose(t *testing.T, conn *net.TCPConn) {
	t.Helper()
	require.NoError(t, conn.SetLinger(0))
	require.NoError(t, conn.Close())
}

func TestPeerResetInTheMiddleOfARecordClosesOnlyThatConnection(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	hello := clientHello(t, fixture.ClientConfig())
	h := &echoHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithLoopNum(1))
	bystander := dialTLS(t, addr, fixture.ClientConfig())
	require.NoError(t, testutil.RoundTrip(bystander, []byte("before")))

	tests := []struct {
		name string
		// interrupt writes the partial record the reset cuts short.
		interrupt func(t *testing.T, raw *net.TCPConn)
	}{
		{name: "half of the ClientHello", interrupt: func(t *testing.T, raw *net.TCPConn) {
			_, err := raw.Write(hello[:len(hello)/2])
			require.NoError(t, err)
		}},
		{name: "half of an application data record", interrupt: func(t *testing.T, raw *net.TCPConn) {
			conn := tls.Client(raw, fixture.ClientConfig())
			require.NoError(t, testutil.RoundTrip(conn, []byte("a whole record first")))
			// A record header that announces 64 bytes, followed by 16 of them.
			partial := append([]byte{0x17, 0x03, 0x03, 0x00, 0x40}, bytes.Repeat([]byte{0x42}, 16)...)
			_, err := raw.Write(partial)
			require.NoError(t, err)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opened := h.Opened()
			raw := dialRaw(t, addr)
			require.Eventually(t, func() bool { return h.Opened() == opened+1 }, testutil.WaitLimit, testutil.PollEvery)
			tt.interrupt(t, raw)
			resetWithoutClose(t, raw)
			assert.Error(t, closedErr(t, h, raw.LocalAddr()), "OnClosed reports the reset")

			require.NoError(t, testutil.RoundTrip(bystander, []byte("still here after "+tt.name)))
			fresh := dialTLS(t, addr, fixture.ClientConfig())
			require.NoError(t, testutil.RoundTrip(fresh, []byte("new client after "+tt.name)))
		})
	}
}

func TestPeerClosingItsSocketIsNoticedDuringAndAfterTheHandshake(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	hello := clientHello(t, fixture.ClientConfig())
	// A handshake timeout longer than the test's own wait: only noticing the peer's close
	// can end these connections in time.
	h := &echoHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithLoopNum(1),
		server.WithTLSHandshakeTimeout(time.Hour))
	bystander := dialTLS(t, addr, fixture.ClientConfig())

	tests := []struct {
		name string
		// before is what the client does before it shuts its sending side (FIN), without
		// a close_notify.
		before func(t *testing.T, raw *net.TCPConn)
	}{
		{name: "before sending anything", before: func(*testing.T, *net.TCPConn) {}},
		{name: "after half of the ClientHello", before: func(t *testing.T, raw *net.TCPConn) {
			_, err := raw.Write(hello[:len(hello)/2])
			require.NoError(t, err)
		}},
		{name: "after the whole ClientHello", before: func(t *testing.T, raw *net.TCPConn) {
			_, err := raw.Write(hello)
			require.NoError(t, err)
		}},
		{name: "after the handshake and an echo", before: func(t *testing.T, raw *net.TCPConn) {
			require.NoError(t, testutil.RoundTrip(tls.Client(raw, fixture.ClientConfig()), []byte("one echo first")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opened := h.Opened()
			raw := dialRaw(t, addr)
			require.Eventually(t, func() bool { return h.Opened() == opened+1 }, testutil.WaitLimit, testutil.PollEvery)
			tt.before(t, raw)
			require.NoError(t, raw.CloseWrite())

			err := closedErr(t, h, raw.LocalAddr())
			assert.NotErrorIs(t, err, server.ErrTLSHandshakeTimeout, "the close was noticed, not waited out")
			require.NoError(t, testutil.RoundTrip(bystander, []byte("still served after a client left "+tt.name)))
		})
	}
}
