package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// scheme is one way to address a server: its scheme and the loopback host it binds.
type scheme struct {
	name      string
	ipv6      bool
	reusePort bool // the scheme has SO_REUSEPORT to test
	address   func(t *testing.T) string
}

func inetScheme(name, hostPort string, ipv6 bool) scheme {
	return scheme{
		name: name, ipv6: ipv6, reusePort: true,
		address: func(*testing.T) string { return name + "://" + hostPort },
	}
}

// everyScheme lists each scheme Serve accepts, bound to loopback. "tcp" with no host, which
// serves both families on one socket, has a test of its own.
var everyScheme = []scheme{
	inetScheme("tcp", "127.0.0.1:0", false),
	inetScheme("tcp4", "127.0.0.1:0", false),
	inetScheme("tcp6", "[::1]:0", true),
	inetScheme("udp", "127.0.0.1:0", false),
	inetScheme("udp4", "127.0.0.1:0", false),
	inetScheme("udp6", "[::1]:0", true),
	{name: "unix", address: unixAddress},
}

// unixAddress is a unix socket in the test's temporary directory.
func unixAddress(t *testing.T) string {
	return "unix://" + filepath.Join(t.TempDir(), "gnet.sock")
}

// loopbackAddress is a loopback address for a test server: a unix socket in the test's
// temporary folder when unix is set, else tcp on a port the kernel picks.
func loopbackAddress(t *testing.T, unix bool) string {
	if unix {
		return unixAddress(t)
	}
	return "tcp://127.0.0.1:0"
}

func TestEchoWorksOverEverySchemeLoopCountAndReusePort(t *testing.T) {
	type echoCase struct {
		scheme    scheme
		loops     int
		reusePort bool
	}
	var cases []echoCase
	for _, s := range everyScheme {
		for _, loops := range []int{1, 2} {
			cases = append(cases, echoCase{scheme: s, loops: loops})
			if s.reusePort {
				cases = append(cases, echoCase{scheme: s, loops: loops, reusePort: true})
			}
		}
	}
	ipv6 := testutil.HasLoopbackIPv6()
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/loops=%d/reuseport=%v", tc.scheme.name, tc.loops, tc.reusePort), func(t *testing.T) {
			t.Parallel()
			if tc.scheme.ipv6 && !ipv6 {
				t.Skip("this host cannot bind ::1")
			}
			srv := testutil.StartServer(t, new(echoServer), tc.scheme.address(t),
				server.WithLoopNum(tc.loops), server.WithReusePort(tc.reusePort))
			// Several clients, so that with two loops both of them serve someone.
			for client := range 4 {
				conn := testutil.Dial(t, srv.Addr)
				for i, size := range []int{1, 64, 1400, 8000} {
					msg := testutil.Payload(size, uint64(client*10+i))
					require.NoError(t, testutil.RoundTrip(conn, msg), "client %d, message of %d bytes", client, size)
				}
			}
		})
	}
}

func TestDualStackTCPServesIPv4AndIPv6Clients(t *testing.T) {
	t.Parallel()
	if !testutil.HasLoopbackIPv6() {
		t.Skip("this host cannot bind ::1")
	}
	srv := testutil.StartServer(t, new(echoServer), "tcp://:0")
	tcpAddr, ok := srv.Addr.(*net.TCPAddr)
	require.True(t, ok, "a tcp server's Addr is a *net.TCPAddr, not %T", srv.Addr)
	for _, host := range []string{"127.0.0.1", "::1"} {
		conn := testutil.Dial(t, &net.TCPAddr{IP: net.ParseIP(host), Port: tcpAddr.Port})
		require.NoError(t, testutil.RoundTrip(conn, []byte("dual stack via "+host)))
	}
}

func TestUnixSocketFileIsRemovedAtShutdown(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gnet.sock")
	srv := testutil.StartServer(t, new(echoServer), "unix://"+path)
	_, err := os.Stat(path)
	require.NoError(t, err, "the socket file should exist while serving")
	conn := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.RoundTrip(conn, []byte("before shutdown")))

	srv.Close()

	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist)
	expectClosedByServer(t, conn)
}

// addrKeeper hands the addresses every opened connection reports to the test.
type addrKeeper struct {
	echoServer
	addrs chan [2]net.Addr // local, remote
}

func (h *addrKeeper) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.addrs <- [2]net.Addr{c.LocalAddr(), c.RemoteAddr()}
	return h.Recorder.OnOpened(c)
}

func TestServerSideLocalAddrIsTheListenersAddress(t *testing.T) {
	type addrCase struct {
		scheme scheme
		loops  int // 1: the loop accepts; 2: an acceptor hands connections to two loops
	}
	var cases []addrCase
	for _, s := range everyScheme {
		if strings.HasPrefix(s.name, "udp") {
			continue // a datagram's LocalAddr is the listener itself
		}
		cases = append(cases, addrCase{scheme: s, loops: 1}, addrCase{scheme: s, loops: 2})
	}
	ipv6 := testutil.HasLoopbackIPv6()
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/loops=%d", tc.scheme.name, tc.loops), func(t *testing.T) {
			t.Parallel()
			if tc.scheme.ipv6 && !ipv6 {
				t.Skip("this host cannot bind ::1")
			}
			h := &addrKeeper{addrs: make(chan [2]net.Addr, 1)}
			srv := testutil.StartServer(t, h, tc.scheme.address(t), server.WithLoopNum(tc.loops))
			conn := testutil.Dial(t, srv.Addr)
			var addrs [2]net.Addr
			select {
			case addrs = <-h.addrs:
			case <-time.After(testutil.WaitLimit):
				t.Fatal("OnOpened never fired")
			}
			local, remote := addrs[0], addrs[1]
			require.NotNil(t, local, "LocalAddr")
			require.Equal(t, srv.Addr.Network(), local.Network())
			require.Equal(t, srv.Addr.String(), local.String())
			require.Equal(t, conn.RemoteAddr().String(), local.String(), "what the client dialed")
			if srv.Addr.Network() != "unix" {
				// A unix client that did not bind has no name to report.
				require.Equal(t, conn.LocalAddr().String(), remote.String(), "RemoteAddr is the client's address")
			}
		})
	}
}
