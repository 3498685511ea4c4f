package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestPeerWriteMakesLocalEndReportEventRead(t *testing.T) {
	for _, kind := range connectors {
		t.Run(kind.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := kind.connect(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

			writeAll(t, conn.peer, []byte("ping"))

			got := pollUntilReported(t, p, conn.local, netpoll.EventRead)
			assert.False(t, got.Has(netpoll.EventWrite), "write readiness reported without write interest")
			assert.False(t, got.Has(netpoll.EventHangup), "hangup reported on an open connection")
			buf := make([]byte, 16)
			n, err := unix.Read(conn.local, buf)
			require.NoError(t, err)
			assert.Equal(t, "ping", string(buf[:n]))
		})
	}
}

func TestFreshSocketWithWriteInterestReportsEventWrite(t *testing.T) {
	for _, kind := range connectors {
		t.Run(kind.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := kind.connect(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventWrite))

			got := pollUntilReported(t, p, conn.local, netpoll.EventWrite)
			assert.False(t, got.Has(netpoll.EventRead), "read readiness reported without read interest or data")
		})
	}
}

func TestSocketWithNoPendingDataReportsNoEvent(t *testing.T) {
	for _, kind := range connectors {
		t.Run(kind.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := kind.connect(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

			reports := pollIterations(t, p, 5)

			assert.Zero(t, unionFor(reports, conn.local), "idle socket reported ready")
		})
	}
}
