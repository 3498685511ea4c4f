package tlstest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// clientRecorder is the handler of our TLS clients: besides what testutil.Recorder keeps, it
// keeps what each connection receives and the TLS state React saw last.
type clientRecorder struct {
	testutil.Recorder
	mu       sync.Mutex
	received map[api.Conn]*bytes.Buffer
	states   map[api.Conn]tls.ConnectionState
}

func newClientRecorder() *clientRecorder {
	return &clientRecorder{
		received: make(map[api.Conn]*bytes.Buffer),
		states:   make(map[api.Conn]tls.ConnectionState),
	}
}

func (r *clientRecorder) React(frame []byte, c api.Conn) api.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.received[c]
	if b == nil {
		b = new(bytes.Buffer)
		r.received[c] = b
	}
	b.Write(frame)
	if state, ok := c.(api.TLSConn).ConnectionState(); ok {
		r.states[c] = state
	}
	return api.None
}

func (r *clientRecorder) receivedBy(c api.Conn) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b := r.received[c]; b != nil {
		return bytes.Clone(b.Bytes())
	}
	return nil
}

func (r *clientRecorder) stateOf(c api.Conn) tls.ConnectionState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.states[c]
}

// onlyClosure waits for OnClosed of the recorder's only connection and returns its error.
func (r *clientRecorder) onlyClosure(t *testing.T) error {
	t.Helper()
	return r.WaitClosures(t, 1)[0].Err
}

// startTLSClient starts one of our clients speaking TLS with cfg, stopped when the test ends.
func startTLSClient(t *testing.T, h api.EventHandler, cfg *tls.Config) *server.ClientManage {
	t.Helper()
	cm := server.Client(h, server.WithLoopNum(2), server.WithTls(cfg))
	require.NoError(t, cm.Start())
	t.Cleanup(cm.Stop)
	return cm
}

// serveStandardTLS runs a crypto/tls echo server (tls.Listen, a goroutine per connection)
// until the test ends and returns its address.
func serveStandardTLS(t *testing.T, cfg *tls.Config) net.Addr {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return // the listener closed: the test is over
			}
			wg.Go(func() {
				// Copying ends when the client goes; how it went is the client's to report.
				_, _ = io.Copy(nc, nc)
				_ = nc.Close()
			})
		}
	})
	t.Cleanup(func() {
		require.NoError(t, ln.Close())
		wg.Wait()
	})
	return ln.Addr()
}

// tlsPeer starts a TLS echo server of one kind and returns its address.
type tlsPeer struct {
	name  string
	serve func(t *testing.T, cfg *tls.Config) net.Addr
}

var tlsPeers = []tlsPeer{
	{name: "crypto/tls server", serve: serveStandardTLS},
	{name: "our WithTls server", serve: func(t *testing.T, cfg *tls.Config) net.Addr {
		return serve(t, &echoHandler{}, server.WithTls(cfg))
	}},
}

func TestClientWithTlsEchoesThroughTLSServers(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name       string
		version    uint16
		serverName string
		size       int
	}{
		{name: "TLS 1.3 small message", version: tls.VersionTLS13, serverName: tlsutil.ServerName, size: 100},
		{name: "TLS 1.2 small message", version: tls.VersionTLS12, serverName: tlsutil.ServerName, size: 100},
		{name: "TLS 1.3 1 MiB", version: tls.VersionTLS13, serverName: tlsutil.ServerName, size: 1 << 20},
		{name: "ServerName taken from the dialed address", version: tls.VersionTLS13, size: 100},
	}
	for _, peer := range tlsPeers {
		t.Run(peer.name, func(t *testing.T) {
			addr := peer.serve(t, fixture.ServerConfig())
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rec := newClientRecorder()
					cfg := fixture.ClientConfig()
					cfg.ServerName = tt.serverName
					cfg.MinVersion, cfg.MaxVersion = tt.version, tt.version
					cm := startTLSClient(t, rec, cfg)
					c, err := cm.Dial(addr.Network(), addr.String())
					require.NoError(t, err)

					msg := testutil.Payload(tt.size, uint64(tt.size))
					go c.FlushWrite(msg) // written before the handshake completes: held, then sent
					require.Eventually(t, func() bool { return len(rec.receivedBy(c)) >= len(msg) },
						testutil.WaitLimit, testutil.PollEvery)
					require.True(t, bytes.Equal(msg, rec.receivedBy(c)), "echo is byte-exact")
					state := rec.stateOf(c)
					assert.True(t, state.HandshakeComplete)
					assert.Equal(t, tt.version, state.Version)
					require.NotEmpty(t, state.PeerCertificates)
					assert.Equal(t, fixture.Server.Leaf.Raw, state.PeerCertificates[0].Raw)

					require.NoError(t, c.Close())
					assert.NoError(t, rec.onlyClosure(t), "a close we asked for is not an error")
				})
			}
		})
	}
}

func TestClientWithTlsRejectsAServerCertificateForAnotherName(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	for _, peer := range tlsPeers {
		t.Run(peer.name, func(t *testing.T) {
			addr := peer.serve(t, fixture.ServerConfig())
			rec := newClientRecorder()
			cfg := fixture.ClientConfig()
			cfg.ServerName = "wrong.example"
			cm := startTLSClient(t, rec, cfg)

			c, err := cm.Dial(addr.Network(), addr.String())
			if err == nil {
				// The handshake runs after the connect: its failure closes the connection, which
				// may already have happened when the write is made.
				if werr := c.AsyncWrite([]byte("never delivered")); werr != nil {
					require.ErrorIs(t, werr, server.ErrConnClosed)
				}
				err = rec.onlyClosure(t)
				assert.Empty(t, rec.receivedBy(c))
			}
			require.Error(t, err)
			var hostnameErr x509.HostnameError
			assert.ErrorAs(t, err, &hostnameErr, "the certificate was rejected for its name: %v", err)
		})
	}
}

func TestClientWithTlsFailsAgainstAPlaintextServer(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		// A plaintext server that answers the ClientHello with a line of text. Its own
		// errors do not matter: the test checks what the client makes of it.
		_, _ = nc.Write([]byte("220 plaintext only\r\n"))
		_, _ = io.Copy(io.Discard, nc)
		_ = nc.Close()
	})
	t.Cleanup(func() {
		require.NoError(t, ln.Close())
		wg.Wait()
	})
	rec := newClientRecorder()
	cm := startTLSClient(t, rec, fixture.ClientConfig())
	c, err := cm.Dial("tcp", ln.Addr().String())
	if err == nil {
		err = rec.onlyClosure(t)
		assert.Empty(t, rec.receivedBy(c), "no plaintext is handed to React as if it were decrypted")
	}
	assert.Error(t, err)
}

func TestClientHandshakeWithASilentServerTimesOut(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	// The kernel completes the connect from the listen backlog; nobody ever answers the
	// ClientHello.
	t.Cleanup(func() { require.NoError(t, ln.Close()) })

	rec := newClientRecorder()
	cm := server.Client(rec, server.WithTls(fixture.ClientConfig()), server.WithTLSHandshakeTimeout(300*time.Millisecond))
	require.NoError(t, cm.Start())
	t.Cleanup(cm.Stop)
	_, err = cm.Dial("tcp", ln.Addr().String())
	if err == nil {
		err = rec.onlyClosure(t)
	}
	assert.ErrorIs(t, err, server.ErrTLSHandshakeTimeout)
}
