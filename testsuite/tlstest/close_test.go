package tlstest

import (
	"crypto/tls"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// closingHandler answers "bye" with a farewell and then closes the connection, in the way
// its close field says; any other frame is echoed.
type closingHandler struct {
	testutil.Recorder
	close func(c api.Conn) api.Action
}

const farewell = "farewell"

func (h *closingHandler) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	if string(frame) != "bye" {
		return api.None
	}
	if err := c.AsyncWrite([]byte(farewell)); err != nil {
		return api.Close
	}
	return h.close(c)
}

func TestServerInitiatedCloseReachesTheClientAsCloseNotify(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name  string
		close func(c api.Conn) api.Action
	}{
		{name: "React returns Action Close", close: func(api.Conn) api.Action { return api.Close }},
		{name: "Close called on the loop", close: func(c api.Conn) api.Action {
			// Closing an open connection on its loop cannot fail; were it to, the client would
			// not see io.EOF and the test would say so.
			_ = c.Close()
			return api.None
		}},
		{name: "Close called from another goroutine", close: func(c api.Conn) api.Action {
			go func() {
				// An error would show as the client not seeing io.EOF.
				_ = c.Close()
			}()
			return api.None
		}},
	}
	versions := []struct {
		name    string
		version uint16
	}{
		{name: "TLS 1.2", version: tls.VersionTLS12},
		{name: "TLS 1.3", version: tls.VersionTLS13},
	}
	for _, tt := range tests {
		for _, version := range versions {
			t.Run(tt.name+"/"+version.name, func(t *testing.T) {
				h := &closingHandler{close: tt.close}
				addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
				tap := &recordTap{Conn: dialRaw(t, addr)}
				cfg := fixture.ClientConfig()
				cfg.MinVersion, cfg.MaxVersion = version.version, version.version
				conn := tls.Client(tap, cfg)
				require.NoError(t, testutil.RoundTrip(conn, []byte("hello")))

				_, err := conn.Write([]byte("bye"))
				require.NoError(t, err)
				rest, err := io.ReadAll(conn)
				require.NoError(t, err, "crypto/tls reads io.EOF, which ReadAll turns into nil")
				assert.Equal(t, "bye"+farewell, string(rest), "output written before the close is delivered first")
				assert.True(t, tap.endedWithAlert(version.version), "the stream ends with close_notify, records %v", tap.records)
				assert.NoError(t, closedErr(t, h, tap.LocalAddr()), "a close the handler asked for is not an error")
			})
		}
	}
}
