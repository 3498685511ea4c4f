package tlstest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// The statistics count every handshake by its outcome: two clients that complete theirs,
// echo and close with close_notify (closed by the peer), and one that sends garbage instead of
// a ClientHello (a failed handshake, closed as a TLS failure).
func TestStatisticsCountHandshakesAndTheirFailuresAndTheirCloses(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	h := &echoHandler{}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithTls(fixture.ServerConfig()), server.WithLoopNum(2))

	for _, msg := range []string{"first", "second"} {
		conn := dialTLS(t, srv.Addr, fixture.ClientConfig())
		require.NoError(t, testutil.RoundTrip(conn, []byte(msg)))
		require.NoError(t, conn.Close())
		require.NoError(t, closedErr(t, h, conn.LocalAddr()))
	}
	raw := dialRaw(t, srv.Addr)
	_, err := raw.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
	require.NoError(t, err)
	require.Error(t, closedErr(t, h, raw.LocalAddr()))

	total := srv.Stats().Total
	require.EqualValues(t, 2, total.TLSHandshakes)
	require.EqualValues(t, 1, total.TLSHandshakeFailures)
	require.EqualValues(t, 2, total.Closed[api.CausePeer])
	require.EqualValues(t, 1, total.Closed[api.CauseTLSFailure])
	require.EqualValues(t, 3, total.ClosedTotal())
	require.EqualValues(t, 2, total.FramesIn, "one plaintext frame per client")
	require.EqualValues(t, 2, total.FramesOut)
	require.Greater(t, total.BytesIn, uint64(len("first")+len("second")), "ciphertext, handshakes included")
}
