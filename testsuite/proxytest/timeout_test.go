package proxytest

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/server/proxyproto"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// trickleEvery is the pause between the bytes of a header that trickles in: slow enough that
// no header in these tests could be whole before the test has waited testutil.WaitLimit.
const trickleEvery = 100 * time.Millisecond

func TestHeaderNotWholeWithinTheHeaderTimeoutClosesTheConnectionWhileTheLoopServesOthers(t *testing.T) {
	// The longest version 1 line there is, and a version 2 header that announces 4000 bytes:
	// sent a byte per trickleEvery, neither is whole for ten seconds or more.
	longestV1 := []byte("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n")
	bigV2 := testutil.ProxyHeader(t, relayed(2, client4, front4,
		proxyproto.TLV{Type: proxyproto.TypeNOOP, Value: make([]byte, 4000-proxyproto.V2FixedLength-12-3)}))
	cases := []struct {
		name    string
		trickle []byte
	}{
		{name: "silent after connecting"},
		{name: "a version 1 line a byte at a time", trickle: longestV1},
		{name: "a version 2 header a byte at a time", trickle: bigV2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newProxyEcho()
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired),
				server.WithProxyHeaderTimeout(200*time.Millisecond), server.WithLoopNum(1))
			slow := testutil.Dial(t, srv.Addr)
			stop := make(chan struct{})
			var trickling sync.WaitGroup
			trickling.Go(func() { trickle(slow, tc.trickle, stop) })
			defer func() {
				close(stop)
				trickling.Wait()
			}()

			// Clients that send their header at once are served meanwhile, on the same loop.
			const served = 5
			for range served {
				conn := testutil.Dial(t, srv.Addr)
				_, err := conn.Write(testutil.ProxyHeader(t, relayed(1, client4, front4)))
				require.NoError(t, err)
				expectEcho(t, conn, "served\n")
				require.NoError(t, conn.Close())
			}

			r := h.nextRefusal(t)
			require.ErrorIs(t, r.err, server.ErrProxyHeaderTimeout)
			require.Equal(t, slow.LocalAddr().String(), r.remote.String())
			expectClosedByServer(t, slow)
			require.Equal(t, served, h.Opened(), "only the prompt clients opened")
		})
	}
}

// trickle writes header to conn a byte per trickleEvery until it is all sent, a write fails
// (the server has closed the connection) or stop is closed.
func trickle(conn net.Conn, header []byte, stop <-chan struct{}) {
	for _, b := range header {
		select {
		case <-stop:
			return
		case <-time.After(trickleEvery):
		}
		if _, err := conn.Write([]byte{b}); err != nil {
			return
		}
	}
}
