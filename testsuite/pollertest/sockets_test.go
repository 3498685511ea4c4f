package pollertest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// connection is two connected stream sockets: local is registered with the poller under
// test, peer is driven by the test. Both are non-blocking and closed when the test ends,
// unless the test closed peer itself.
type connection struct {
	local, peer int
}

// connect opens a connection of one kind; tests range over connectors to run on each kind.
type connector func(t testing.TB) *connection

// connectors are the kinds of connection every readiness test runs on.
var connectors = []struct {
	name    string
	connect connector
}{
	{name: "unix socketpair", connect: socketPair},
	{name: "tcp loopback", connect: tcpLoopback},
}

// socketPair returns a connected pair of Unix stream sockets.
func socketPair(t testing.TB) *connection {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	return adopt(t, fds[0], fds[1])
}

// tcpLoopback returns the two ends of a TCP connection over 127.0.0.1, on a port the kernel
// chose. The connect is blocking: over loopback the kernel completes the handshake from the
// listen backlog, before accept.
func tcpLoopback(t testing.TB) *connection {
	t.Helper()
	listener, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	defer func() { assert.NoError(t, unix.Close(listener)) }()
	require.NoError(t, unix.Bind(listener, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	require.NoError(t, unix.Listen(listener, 1))
	bound, err := unix.Getsockname(listener)
	require.NoError(t, err)

	dialed, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	if err := unix.Connect(dialed, bound); err != nil {
		assert.NoError(t, unix.Close(dialed))
		require.NoError(t, err)
	}
	accepted, _, err := unix.Accept(listener)
	if err != nil {
		assert.NoError(t, unix.Close(dialed))
		require.NoError(t, err)
	}
	return adopt(t, accepted, dialed)
}

// adopt makes both ends non-blocking and closes them at the end of the test.
func adopt(t testing.TB, local, peer int) *connection {
	t.Helper()
	c := &connection{local: local, peer: peer}
	t.Cleanup(func() {
		assert.NoError(t, unix.Close(c.local))
		if c.peer >= 0 {
			assert.NoError(t, unix.Close(c.peer))
		}
	})
	require.NoError(t, unix.SetNonblock(local, true))
	require.NoError(t, unix.SetNonblock(peer, true))
	return c
}

// closePeer closes the peer end now instead of at the end of the test.
func (c *connection) closePeer(t testing.TB) {
	t.Helper()
	require.NoError(t, unix.Close(c.peer))
	c.peer = -1
}

// writeAll writes every byte of data to fd, which must have room for it in its send buffer.
func writeAll(t testing.TB, fd int, data []byte) {
	t.Helper()
	n, err := unix.Write(fd, data)
	require.NoError(t, err)
	require.Equal(t, len(data), n, "short write on a fresh socket")
}

// readUntilEOF reads fd until end of file and returns the bytes read. It is called only once
// the poller has reported the end of file, so the bytes are all queued already.
func readUntilEOF(t testing.TB, fd int) []byte {
	t.Helper()
	var got []byte
	chunk := make([]byte, 4096)
	for range 1024 {
		n, err := unix.Read(fd, chunk)
		require.NoError(t, err)
		if n == 0 {
			return got
		}
		got = append(got, chunk[:n]...)
	}
	require.FailNow(t, "no end of file after 1024 reads")
	return nil
}

// drain reads fd until it would block and returns how many bytes it read.
func drain(t testing.TB, fd int) int {
	t.Helper()
	total := 0
	chunk := make([]byte, 4096)
	for range 1024 {
		n, err := unix.Read(fd, chunk)
		if errors.Is(err, unix.EAGAIN) {
			return total
		}
		require.NoError(t, err)
		require.NotZero(t, n, "unexpected end of file while draining")
		total += n
	}
	require.FailNow(t, "fd still readable after 1024 reads")
	return total
}
