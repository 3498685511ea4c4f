package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// The seed's way of starting a server, log.Fatal(gnet.Serve(h, addr, gnet.WithOptions(o))),
// relies on Serve blocking: a zero field of Options must leave its default alone.
func TestServeWithOptionsBlocksUntilCloseAndKeepsLingering(t *testing.T) {
	cases := []struct {
		name string
		unix bool
	}{
		{name: "tcp"},
		{name: "unix", unix: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newRefuser()
			srv, served := testutil.ServeInBackground(t, h, loopbackAddress(t, tc.unix),
				server.WithOptions(server.Options{LoopNum: 2, ReadBufferSize: lingerReadBuffer}))
			require.Equal(t, 2, srv.NumEventLoop)

			// Lingering is on: a client that pipelined behind a refused request reads the
			// whole reply and end of stream, not a reset.
			pipelineBehindARefusal(t, testutil.Dial(t, srv.Addr))
			require.NoError(t, h.WaitClosures(t, 1)[0].Err)

			select {
			case err := <-served:
				t.Fatalf("Serve returned while the server was serving: %v", err)
			default:
			}
			srv.Close()
			require.NoError(t, testutil.WaitServeReturn(t, served))
		})
	}
}
