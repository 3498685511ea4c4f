package e2e

import (
	"errors"
	"net"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Not parallel: it counts the process's goroutines and descriptors. Each case runs as a
// subtest so that its clients and server are gone, cleanups included, before the count.
func TestServerCloseWhileClientsAreBusyEndsEveryClientAndLeaksNothing(t *testing.T) {
	cases := []struct {
		name    string
		unix    bool
		opts    []server.Option
		clients int
	}{
		{name: "tcp, two loops", opts: []server.Option{server.WithLoopNum(2)}, clients: 50},
		{name: "tcp, two loops with reuseport", opts: []server.Option{server.WithLoopNum(2), server.WithReusePort(true)}, clients: 50},
		{name: "unix, one loop", unix: true, opts: []server.Option{server.WithLoopNum(1)}, clients: 50},
	}
	for _, tc := range cases {
		before := testutil.Snapshot(t)
		t.Run(tc.name, func(t *testing.T) {
			addr := loopbackAddress(t, tc.unix)
			h := new(echoServer)
			srv, served := testutil.ServeInBackground(t, h, addr, tc.opts...)
			ends := make(chan error, tc.clients)
			started := make(chan struct{}, tc.clients)
			var wg sync.WaitGroup
			for client := range tc.clients {
				wg.Go(func() { ends <- echoUntilClosed(srv.Addr, client, started) })
			}
			for range tc.clients {
				<-started // each client's first round trip has succeeded
			}

			srv.Close()

			require.NoError(t, testutil.WaitServeReturn(t, served))
			wg.Wait()
			close(ends)
			for err := range ends {
				require.NotErrorIs(t, err, os.ErrDeadlineExceeded, "a client hung instead of seeing the close")
			}
			require.Len(t, h.Closures(), tc.clients)
			require.Zero(t, h.RepeatedCloses())
		})
		testutil.RequireNoLeaks(t, before)
	}
}

// echoUntilClosed dials addr and echoes until the server ends the connection, reporting on
// started after its first round trip. It returns the error that ended it.
func echoUntilClosed(addr net.Addr, client int, started chan<- struct{}) error {
	conn, err := testutil.TryDial(addr)
	if err != nil {
		started <- struct{}{}
		return err
	}
	defer func() {
		_ = conn.Close() // the server has closed it already; only the descriptor is released
	}()
	for i := 0; ; i++ {
		err := testutil.RoundTrip(conn, testutil.Payload(4096, uint64(client)<<16|uint64(i)))
		if i == 0 {
			started <- struct{}{}
		}
		if err != nil {
			if errors.Is(err, testutil.ErrEchoDiffers) {
				return err
			}
			return nil
		}
	}
}
