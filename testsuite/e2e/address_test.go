package e2e

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// serveExpectingError runs Serve on addr and returns its error. A Serve that succeeds fails
// the test, after the server it started is stopped.
func serveExpectingError(t *testing.T, addr string, opts ...server.Option) error {
	t.Helper()
	h := new(echoServer)
	all := append([]server.Option{server.WithBlock(false), server.WithLogger(new(testutil.Logger))}, opts...)
	err := server.Serve(h, addr, all...)
	if srv, started := h.Server(); err == nil && started {
		srv.Close()
	}
	require.Error(t, err, "Serve accepted %q", addr)
	return err
}

func TestServeRejectsMalformedAddressesAndUnknownSchemes(t *testing.T) {
	cases := []struct {
		name string
		addr string
		want error
	}{
		{name: "tcp scheme without host or port", addr: "tcp://", want: server.ErrInvalidAddress},
		{name: "tcp host without port", addr: "tcp://nohostport", want: server.ErrInvalidAddress},
		{name: "tcp port out of range", addr: "tcp://127.0.0.1:99999", want: server.ErrInvalidAddress},
		{name: "udp port out of range", addr: "udp://127.0.0.1:70000", want: server.ErrInvalidAddress},
		{name: "tcp4 given an IPv6 host", addr: "tcp4://[::1]:0", want: server.ErrInvalidAddress},
		{name: "unix scheme without path", addr: "unix://", want: server.ErrInvalidAddress},
		{name: "unknown scheme", addr: "sctp://127.0.0.1:0", want: server.ErrUnsupportedNetwork},
		{name: "empty scheme", addr: "://127.0.0.1:0", want: server.ErrUnsupportedNetwork},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorIs(t, serveExpectingError(t, tc.addr), tc.want)
		})
	}
}

func TestServeReportsAddressInUse(t *testing.T) {
	cases := []struct {
		name string
		// occupy binds the address with the standard library and returns what to pass to
		// Serve; the binding is released when the test ends.
		occupy func(t *testing.T) string
		opts   []server.Option
	}{
		{name: "tcp", occupy: occupyTCP},
		{name: "tcp with reuseport", occupy: occupyTCP, opts: []server.Option{server.WithReusePort(true), server.WithLoopNum(2)}},
		{name: "udp", occupy: occupyUDP},
		{name: "unix", occupy: occupyUnix},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := tc.occupy(t)
			require.ErrorIs(t, serveExpectingError(t, addr, tc.opts...), syscall.EADDRINUSE)
		})
	}
}

func occupyTCP(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, ln.Close()) })
	return "tcp://" + ln.Addr().String()
}

func occupyUDP(t *testing.T) string {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, pc.Close()) })
	return "udp://" + pc.LocalAddr().String()
}

func occupyUnix(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "taken.sock")
	ln, err := net.Listen("unix", path)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, ln.Close()) })
	return "unix://" + path
}
