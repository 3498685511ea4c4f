package tlstest

import (
	"crypto/tls"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

const (
	tlsGreeting   = "welcome, TLS client\n"
	earlyWrite    = "written from another goroutine\n"
	handshakeType = 0x16
)

// greetingHandler greets from OnOpened, which under WithTls fires before the handshake, and
// has another goroutine write once more; it reports that write's outcome once AsyncWrite has
// returned. Then it echoes.
type greetingHandler struct {
	echoHandler
	earlyQueued chan error
}

func (h *greetingHandler) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.Recorder.OnOpened(c)
	go func() { h.earlyQueued <- c.AsyncWrite([]byte(earlyWrite)) }()
	return []byte(tlsGreeting), api.None
}

func TestOutputWrittenBeforeTheHandshakeArrivesEncryptedAfterIt(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name    string
		version uint16
	}{
		{name: "TLS 1.2", version: tls.VersionTLS12},
		{name: "TLS 1.3", version: tls.VersionTLS13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &greetingHandler{earlyQueued: make(chan error, 1)}
			addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
			tap := &recordTap{Conn: dialRaw(t, addr)}
			// The handshake cannot complete before the ClientHello is sent, so both writes
			// are made before it.
			select {
			case err := <-h.earlyQueued:
				require.NoError(t, err)
			case <-time.After(testutil.WaitLimit):
				t.Fatal("the early write was never made")
			}
			cfg := fixture.ClientConfig()
			cfg.MinVersion, cfg.MaxVersion = tt.version, tt.version
			conn := tls.Client(tap, cfg)
			require.NoError(t, conn.Handshake())

			testutil.ExpectRead(t, conn, tlsGreeting+earlyWrite)
			require.NotEmpty(t, tap.records)
			assert.EqualValues(t, handshakeType, tap.records[0].contentType,
				"the first bytes on the wire are the server's handshake, not the plaintext greeting")
			require.NoError(t, testutil.RoundTrip(conn, []byte("and then the echo")))
		})
	}
}

// greetAndClose greets from OnOpened, before the handshake, and asks to close at once, the
// way a server refuses a client it will not serve (a banner and goodbye).
type greetAndClose struct {
	echoHandler
	close func(c api.Conn) api.Action
}

func (h *greetAndClose) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.Recorder.OnOpened(c)
	return []byte(tlsGreeting), h.close(c)
}

// A connection closed in order while its TLS handshake is still pending keeps the plaintext
// written before it: the handshake completes (bounded by the handshake timeout), the output
// goes out encrypted, then close_notify. Closing must not throw that output away.
func TestCloseBeforeTheHandshakeCompletesStillDeliversTheOutputWrittenBeforeIt(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name  string
		close func(c api.Conn) api.Action
	}{
		{name: "OnOpened returns Close", close: func(api.Conn) api.Action { return api.Close }},
		{name: "Close called from another goroutine", close: func(c api.Conn) api.Action {
			go func() {
				// An error would show as the client not reading the greeting.
				_ = c.Close()
			}()
			return api.None
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &greetAndClose{close: tt.close}
			addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
			conn := tls.Client(dialRaw(t, addr), fixture.ClientConfig())
			require.NoError(t, conn.Handshake())

			rest, err := io.ReadAll(conn)
			require.NoError(t, err, "the connection ends with close_notify, not an error")
			assert.Equal(t, tlsGreeting, string(rest))
			closures := h.WaitClosures(t, 1)
			assert.NoError(t, closures[0].Err)
		})
	}
}
