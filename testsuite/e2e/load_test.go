package e2e

import (
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

func TestManyConcurrentClientsAreEchoedByteExactUnderEveryLoadBalancer(t *testing.T) {
	cases := []struct {
		name   string
		policy server.LoadBalancing
	}{
		{name: "round robin", policy: server.RoundRobin},
		{name: "least connections", policy: server.LeastConnections},
		{name: "source address hash", policy: server.SourceAddrHash},
	}
	const (
		clients  = 200
		messages = 15
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := new(echoServer)
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0",
				server.WithLoopNum(2), server.WithLoadBalancing(tc.policy))
			errs := make(chan error, clients)
			var wg sync.WaitGroup
			for client := range clients {
				wg.Go(func() { errs <- echoManyTimes(srv.Addr, client, messages) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			require.Equal(t, clients, h.Opened())
		})
	}
}

// echoManyTimes dials addr and makes count round trips of varied sizes, from any goroutine.
func echoManyTimes(addr net.Addr, client, count int) (err error) {
	conn, err := testutil.TryDial(addr)
	if err != nil {
		return fmt.Errorf("client %d: %w", client, err)
	}
	defer func() {
		if closeErr := conn.Close(); err == nil && closeErr != nil {
			err = fmt.Errorf("client %d: %w", client, closeErr)
		}
	}()
	for i := range count {
		msg := testutil.Payload(1+(client*131+i*977)%2048, uint64(client*count+i))
		if err := testutil.RoundTrip(conn, msg); err != nil {
			return fmt.Errorf("client %d, message %d: %w", client, i, err)
		}
	}
	return nil
}

func TestLargePayloadsAreEchoedByteExact(t *testing.T) {
	cases := []struct {
		name string
		size int
		unix bool
		opts []server.Option
	}{
		{name: "1 MiB", size: 1 << 20},
		{name: "16 MiB", size: 16 << 20},
		{name: "1 MiB through a 4 KiB read buffer", size: 1 << 20, opts: []server.Option{server.WithReadBufferSize(4096)}},
		{name: "16 MiB through a 4 KiB read buffer", size: 16 << 20, opts: []server.Option{server.WithReadBufferSize(4096)}},
		{name: "16 MiB over a unix socket", size: 16 << 20, unix: true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := loopbackAddress(t, tc.unix)
			srv := testutil.StartServer(t, new(echoServer), addr, tc.opts...)
			conn := testutil.Dial(t, srv.Addr)
			require.NoError(t, testutil.RoundTrip(conn, testutil.Payload(tc.size, uint64(i))))
			// The connection still serves after a large message.
			require.NoError(t, testutil.RoundTrip(conn, []byte("after")))
		})
	}
}
