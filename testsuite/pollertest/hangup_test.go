package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestPeerShutdownOfWritingReportsHangupWithReadAndKeepsEarlierBytesReadable(t *testing.T) {
	for _, kind := range connectors {
		t.Run(kind.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := kind.connect(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

			writeAll(t, conn.peer, []byte("last words"))
			require.NoError(t, unix.Shutdown(conn.peer, unix.SHUT_WR))

			got := pollUntilReported(t, p, conn.local, netpoll.EventRead|netpoll.EventHangup)
			assert.False(t, got.Has(netpoll.EventError), "half-close reported as an error")
			assert.Equal(t, "last words", string(readUntilEOF(t, conn.local)))
		})
	}
}

func TestPeerCloseAfterDataOnTCPReportsHangupAndKeepsDataReadable(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	conn := tcpLoopback(t)
	require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

	writeAll(t, conn.peer, []byte("bye"))
	conn.closePeer(t)

	pollUntilReported(t, p, conn.local, netpoll.EventRead|netpoll.EventHangup)
	assert.Equal(t, "bye", string(readUntilEOF(t, conn.local)))
}

func TestPeerResetOnTCPReportsHangup(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	conn := tcpLoopback(t)
	require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

	// A zero linger time makes close send a reset instead of a FIN.
	require.NoError(t, unix.SetsockoptLinger(conn.peer, unix.SOL_SOCKET, unix.SO_LINGER,
		&unix.Linger{Onoff: 1, Linger: 0}))
	conn.closePeer(t)

	pollUntilReported(t, p, conn.local, netpoll.EventHangup)
	_, err := unix.Read(conn.local, make([]byte, 16))
	assert.ErrorIs(t, err, unix.ECONNRESET, "read after reset")
}
