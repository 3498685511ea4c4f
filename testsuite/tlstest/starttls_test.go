package tlstest

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

const (
	greeting       = "220 ready\n"
	startTLSLine   = "STARTTLS"
	goAhead        = "220 go ahead\n"
	startTLSPrefix = startTLSLine + "\n"
)

// startTLSHandler speaks a line protocol that starts in plaintext: it greets, echoes lines,
// and on STARTTLS answers the go-ahead in plaintext and upgrades the connection to TLS, after
// which it echoes lines encrypted. It reports what ConnectionState says on either side of
// the upgrade.
type startTLSHandler struct {
	testutil.Recorder
	config *tls.Config
	// secureBeforeUpgrade receives ConnectionState's ok when STARTTLS arrives;
	// secureAfterUpgrade receives the state of every line echoed under TLS.
	secureBeforeUpgrade chan bool
	secureAfterUpgrade  chan tls.ConnectionState
}

func newStartTLSHandler(config *tls.Config) *startTLSHandler {
	return &startTLSHandler{
		config:              config,
		secureBeforeUpgrade: make(chan bool, 16),
		secureAfterUpgrade:  make(chan tls.ConnectionState, 64),
	}
}

func (h *startTLSHandler) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.Recorder.OnOpened(c)
	return []byte(greeting), api.None
}

func (h *startTLSHandler) React(frame []byte, c api.Conn) api.Action {
	upgraded, _ := c.Context().(bool)
	state, secure := c.(api.TLSConn).ConnectionState()
	switch {
	case !upgraded && string(frame) == startTLSLine:
		h.secureBeforeUpgrade <- secure
		if err := c.WriteNoCodec([]byte(goAhead)); err != nil {
			return api.Close
		}
		if err := c.UpgradeTls(h.config); err != nil {
			return api.Close
		}
		c.SetContext(true)
		return api.None
	case upgraded:
		h.secureAfterUpgrade <- state
	}
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// pipelinedStartTLS is the client's socket as crypto/tls sees it during a pipelined
// STARTTLS: its first write (the ClientHello) goes out in one write with the STARTTLS
// command, and its first read first takes the server's plaintext go-ahead off the stream.
// It delays nothing: the ClientHello leaves before the go-ahead arrives.
type pipelinedStartTLS struct {
	net.Conn
	commandSent, replyRead bool
}

func (p *pipelinedStartTLS) Write(b []byte) (int, error) {
	if p.commandSent {
		return p.Conn.Write(b)
	}
	p.commandSent = true
	n, err := p.Conn.Write(append([]byte(startTLSPrefix), b...))
	return max(0, n-len(startTLSPrefix)), err
}

func (p *pipelinedStartTLS) Read(b []byte) (int, error) {
	if !p.replyRead {
		p.replyRead = true
		reply := make([]byte, len(goAhead))
		if _, err := io.ReadFull(p.Conn, reply); err != nil {
			return 0, err
		}
		if !bytes.Equal(reply, []byte(goAhead)) {
			return 0, fmt.Errorf("%w: go-ahead %q", testutil.ErrEchoDiffers, reply)
		}
	}
	return p.Conn.Read(b)
}

func TestStartTLSUpgradesAPlaintextLineConnectionInPlace(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name string
		// pipelined sends STARTTLS and the ClientHello in one write, without waiting for
		// the go-ahead.
		pipelined bool
		version   uint16
	}{
		{name: "client waits for the go-ahead, TLS 1.3", version: tls.VersionTLS13},
		{name: "client waits for the go-ahead, TLS 1.2", version: tls.VersionTLS12},
		{name: "client pipelines its ClientHello after STARTTLS, TLS 1.3", pipelined: true, version: tls.VersionTLS13},
		{name: "client pipelines its ClientHello after STARTTLS, TLS 1.2", pipelined: true, version: tls.VersionTLS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newStartTLSHandler(fixture.ServerConfig())
			addr := serve(t, h, server.WithCodec(codec.NewLineBasedFrameCodec()))
			raw := dialRaw(t, addr)

			testutil.ExpectRead(t, raw, greeting)
			_, err := raw.Write([]byte("plain line\n"))
			require.NoError(t, err)
			testutil.ExpectRead(t, raw, "plain line\n")

			cfg := fixture.ClientConfig()
			cfg.MinVersion, cfg.MaxVersion = tt.version, tt.version
			var secured *tls.Conn
			if tt.pipelined {
				wrapper := &pipelinedStartTLS{Conn: raw}
				secured = tls.Client(wrapper, cfg)
				require.NoError(t, secured.Handshake())
				assert.True(t, wrapper.replyRead, "the go-ahead was read in plaintext")
			} else {
				_, err = raw.Write([]byte(startTLSPrefix))
				require.NoError(t, err)
				testutil.ExpectRead(t, raw, goAhead)
				secured = tls.Client(raw, cfg)
				require.NoError(t, secured.Handshake())
			}
			assert.Equal(t, tt.version, secured.ConnectionState().Version)

			for _, line := range []string{"secret line\n", "another secret\n"} {
				require.NoError(t, testutil.RoundTrip(secured, []byte(line)))
			}
			assert.False(t, <-h.secureBeforeUpgrade, "ConnectionState is not ok before the upgrade")
			for range 2 {
				state := <-h.secureAfterUpgrade
				assert.True(t, state.HandshakeComplete)
				assert.Equal(t, tt.version, state.Version)
			}
		})
	}
}

// reupgradeHandler asks for an upgrade on every line it receives and reports the outcome,
// then echoes the line.
type reupgradeHandler struct {
	testutil.Recorder
	config   *tls.Config
	outcomes chan error
}

func (h *reupgradeHandler) React(frame []byte, c api.Conn) api.Action {
	h.outcomes <- c.UpgradeTls(h.config)
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func TestUpgradeTlsOnAConnectionThatAlreadySpeaksTLSFailsAndKeepsIt(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	h := &reupgradeHandler{config: fixture.ServerConfig(), outcomes: make(chan error, 4)}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithCodec(codec.NewLineBasedFrameCodec()))
	conn := dialTLS(t, addr, fixture.ClientConfig())

	require.NoError(t, testutil.RoundTrip(conn, []byte(startTLSPrefix)))
	assert.ErrorIs(t, <-h.outcomes, server.ErrTLSActive)
	require.NoError(t, testutil.RoundTrip(conn, []byte("still encrypted\n")), "the connection carries on under its first TLS session")
	assert.ErrorIs(t, <-h.outcomes, server.ErrTLSActive)
}
