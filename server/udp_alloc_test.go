package server_test

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

func TestUDPSendersThatKeepSendingCostTheLoopNoAllocation(t *testing.T) {
	h := &echoServer{started: make(chan api.Server, 1)}
	require.NoError(t, server.Serve(h, "udp4://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(1)))
	srv := <-h.started
	t.Cleanup(srv.Close)
	// Sixteen senders on one host: they differ only in their ports.
	clients := make([]*net.UDPConn, 16)
	for i := range clients {
		c, err := net.DialUDP("udp4", nil, srv.Addr.(*net.UDPAddr))
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() }) // the test is over
		require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second)))
		clients[i] = c
	}
	out, in := make([]byte, 64), make([]byte, 64)
	round := func() {
		for _, c := range clients {
			for range 8 {
				_, err := c.Write(out)
				require.NoError(t, err)
			}
		}
		for _, c := range clients {
			for range 8 {
				_, err := c.Read(in)
				require.NoError(t, err)
			}
		}
	}
	round() // the loop makes its buffers and a connection per sender
	const rounds = 50
	before := mallocs()
	for range rounds {
		round()
	}
	datagrams := rounds * len(clients) * 8
	// The clients allocate nothing either; a few allocations of the runtime's own may fall in.
	allocs := mallocs() - before
	t.Logf("%d allocations in the process over %d datagrams", allocs, datagrams)
	require.Less(t, allocs, uint64(datagrams/100), "allocations over %d datagrams", datagrams)
}
