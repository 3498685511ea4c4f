//go:build linux

package server

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// rawListener listens on a new socket of family at sa and returns its descriptor.
func rawListener(t *testing.T, family int, sa unix.Sockaddr) int {
	t.Helper()
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = unix.Close(fd) })
	require.NoError(t, unix.Bind(fd, sa))
	require.NoError(t, unix.Listen(fd, 64))
	return fd
}

// dialRaw connects a client to the listener fd over network and keeps it open for the test.
func dialRaw(t *testing.T, network string, fd int) net.Conn {
	t.Helper()
	lsa, err := unix.Getsockname(fd)
	require.NoError(t, err)
	var addr string
	switch a := lsa.(type) {
	case *unix.SockaddrInet4:
		addr = (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	case *unix.SockaddrInet6:
		addr = (&net.TCPAddr{IP: a.Addr[:], Port: a.Port}).String()
	case *unix.SockaddrUnix:
		addr = a.Name
	}
	conn, err := net.Dial(network, addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestAcceptConnReportsThePeerAsAccept4Does(t *testing.T) {
	tests := []struct {
		name    string
		family  int
		network string
		bind    func(t *testing.T) unix.Sockaddr
	}{
		{name: "tcp4", family: unix.AF_INET, network: "tcp4",
			bind: func(*testing.T) unix.Sockaddr { return &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}} }},
		{name: "tcp6", family: unix.AF_INET6, network: "tcp6",
			bind: func(*testing.T) unix.Sockaddr { return &unix.SockaddrInet6{Addr: [16]byte{15: 1}} }},
		{name: "unix path", family: unix.AF_UNIX, network: "unix",
			bind: func(t *testing.T) unix.Sockaddr {
				return &unix.SockaddrUnix{Name: filepath.Join(t.TempDir(), "accept.sock")}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := rawListener(t, tt.family, tt.bind(t))
			// Two clients: one accepted the general way, one by acceptConn; their addresses
			// differ only in the port the kernel chose.
			first := dialRaw(t, tt.network, fd)
			second := dialRaw(t, tt.network, fd)

			nfd, want, err := unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			require.NoError(t, err)
			require.NoError(t, unix.Close(nfd))
			nfd, got, err := acceptConn(fd)
			require.NoError(t, err)
			t.Cleanup(func() { _ = unix.Close(nfd) })

			flags, err := unix.FcntlInt(uintptr(nfd), unix.F_GETFL, 0)
			require.NoError(t, err)
			require.NotZero(t, flags&unix.O_NONBLOCK, "the accepted socket is non-blocking")
			fdFlags, err := unix.FcntlInt(uintptr(nfd), unix.F_GETFD, 0)
			require.NoError(t, err)
			require.NotZero(t, fdFlags&unix.FD_CLOEXEC, "the accepted socket is close-on-exec")

			switch w := want.(type) {
			case *unix.SockaddrInet4:
				g := got.(*unix.SockaddrInet4)
				require.Equal(t, w.Addr, g.Addr)
				require.Equal(t, first.LocalAddr().(*net.TCPAddr).Port, w.Port)
				require.Equal(t, second.LocalAddr().(*net.TCPAddr).Port, g.Port)
			case *unix.SockaddrInet6:
				g := got.(*unix.SockaddrInet6)
				require.Equal(t, w.Addr, g.Addr)
				require.Equal(t, w.ZoneId, g.ZoneId)
				require.Equal(t, second.LocalAddr().(*net.TCPAddr).Port, g.Port)
			default:
				require.Equal(t, want, got, "unnamed unix clients read the same")
			}
		})
	}
}

func TestUnixPeerNamesReadAsGolangOrgXSysReadsThem(t *testing.T) {
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "unnamed", path: "", want: "@"},
		{name: "path", path: "/tmp/a.sock", want: "/tmp/a.sock"},
		{name: "abstract", path: "\x00gnet", want: "@gnet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw unix.RawSockaddrUnix
			raw.Family = unix.AF_UNIX
			for i := range len(tt.path) {
				raw.Path[i] = int8(tt.path[i])
			}
			require.Equal(t, tt.want, unixPeerName(&raw))
		})
	}
}

func TestAcceptConnAllocatesOnlyTheAddress(t *testing.T) {
	fd := rawListener(t, unix.AF_INET, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	const runs = 20
	for range runs + 1 {
		dialRaw(t, "tcp4", fd)
	}
	allocs := testing.AllocsPerRun(runs, func() {
		nfd, _, err := acceptConn(fd)
		if err != nil {
			t.Fatal(err)
		}
		_ = unix.Close(nfd)
	})
	require.LessOrEqual(t, allocs, 1.0)
}

func TestAcceptConnReportsEAGAINWhenNothingIsPending(t *testing.T) {
	fd := rawListener(t, unix.AF_INET, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	require.NoError(t, unix.SetNonblock(fd, true))
	_, _, err := acceptConn(fd)
	require.ErrorIs(t, err, unix.EAGAIN)
}
