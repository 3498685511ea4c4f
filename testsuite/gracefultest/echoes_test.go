package gracefultest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/echoload"
)

// requireEchoes fails the test unless n requests on a new connection to addr all come back
// intact.
func requireEchoes(t *testing.T, addr string, n int) {
	t.Helper()
	var tl echoload.Tally
	conn, err := tl.Dial(addr)
	require.NoError(t, err)
	defer func() {
		// Only the replies matter; the connection has served its purpose.
		_ = conn.Close()
	}()
	for seq := range int64(n) {
		require.Equal(t, echoload.Answered, tl.Exchange(conn, echoload.Request(0, seq)), tl.String())
	}
}
