package tlstest

import (
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// echoHandler writes every frame back through the codec, and records the server and every
// connection's life.
type echoHandler struct{ testutil.Recorder }

func (h *echoHandler) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// serve starts h on a loopback port chosen by the kernel, with two event loops unless opts
// say otherwise, and stops it when the test ends. It returns the address to dial.
func serve(t *testing.T, h testutil.Recorded, opts ...server.Option) net.Addr {
	t.Helper()
	opts = append([]server.Option{server.WithLoopNum(2)}, opts...)
	return testutil.StartServer(t, h, "tcp://127.0.0.1:0", opts...).Addr
}

// closedErr waits until OnClosed has fired for the connection whose client end is local and
// returns its error.
func closedErr(t *testing.T, h testutil.Recorded, local net.Addr) error {
	t.Helper()
	return h.Recording().WaitClosedFrom(t, local.String()).Err
}

// dialTLS connects to addr and completes a TLS handshake with cfg, every step bounded by
// testutil.WaitLimit. The connection is closed when the test ends.
func dialTLS(t *testing.T, addr net.Addr, cfg *tls.Config) *tls.Conn {
	t.Helper()
	conn, err := tryDialTLS(addr, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		// The test is over; a connection the server already closed fails here harmlessly.
		_ = conn.Close()
	})
	return conn
}

// tryDialTLS is dialTLS for goroutines other than the test's: it returns the error instead
// of failing the test, and leaves closing to the caller.
func tryDialTLS(addr net.Addr, cfg *tls.Config) (*tls.Conn, error) {
	dialer := &net.Dialer{Timeout: testutil.WaitLimit}
	conn, err := tls.DialWithDialer(dialer, addr.Network(), addr.String(), cfg)
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
		_ = conn.Close() // the deadline error is the one worth reporting
		return nil, err
	}
	return conn, nil
}

// dialRaw opens a plain TCP connection to addr, bounded and closed like testutil.Dial, as
// the *net.TCPConn that tests which reset connections need.
func dialRaw(t *testing.T, addr net.Addr) *net.TCPConn {
	t.Helper()
	return testutil.Dial(t, addr).(*net.TCPConn)
}

// clientHello returns the first record a crypto/tls client with cfg sends: its ClientHello.
func clientHello(t *testing.T, cfg *tls.Config) []byte {
	t.Helper()
	clientSide, capture := net.Pipe()
	defer func() {
		// Closing ends the client's handshake, which is all that is wanted from it.
		_ = clientSide.Close()
		_ = capture.Close()
	}()
	require.NoError(t, capture.SetDeadline(time.Now().Add(testutil.WaitLimit)))
	go func() {
		// The handshake fails once the pipe closes; only its first record matters.
		_ = tls.Client(clientSide, cfg).Handshake()
	}()
	header := make([]byte, 5)
	_, err := io.ReadFull(capture, header)
	require.NoError(t, err)
	require.EqualValues(t, 0x16, header[0], "a handshake record")
	body := make([]byte, int(header[3])<<8|int(header[4]))
	_, err = io.ReadFull(capture, body)
	require.NoError(t, err)
	return append(header, body...)
}
