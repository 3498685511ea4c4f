package tlstest

import (
	"crypto/tls"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

func TestMutualTLSAcceptsOnlyClientsWithACertificateFromTheCA(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	foreign, err := tlsutil.NewAuthority("foreign CA")
	require.NoError(t, err)
	foreignClient, err := foreign.IssueClient("intruder")
	require.NoError(t, err)

	tests := []struct {
		name         string
		version      uint16
		certificates []tls.Certificate
		wantAccepted bool
	}{
		{name: "certificate from the CA, TLS 1.3", version: tls.VersionTLS13,
			certificates: []tls.Certificate{fixture.Client}, wantAccepted: true},
		{name: "certificate from the CA, TLS 1.2", version: tls.VersionTLS12,
			certificates: []tls.Certificate{fixture.Client}, wantAccepted: true},
		{name: "no certificate, TLS 1.3", version: tls.VersionTLS13},
		{name: "no certificate, TLS 1.2", version: tls.VersionTLS12},
		{name: "certificate from a foreign CA, TLS 1.3", version: tls.VersionTLS13,
			certificates: []tls.Certificate{foreignClient}},
		{name: "certificate from a foreign CA, TLS 1.2", version: tls.VersionTLS12,
			certificates: []tls.Certificate{foreignClient}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverCfg := fixture.ServerConfig()
			serverCfg.ClientAuth = tls.RequireAndVerifyClientCert
			serverCfg.ClientCAs = fixture.CA.Pool
			h := newStateHandler()
			addr := serve(t, h, server.WithTls(serverCfg))

			clientCfg := fixture.ClientConfig()
			clientCfg.MinVersion, clientCfg.MaxVersion = tt.version, tt.version
			clientCfg.Certificates = tt.certificates
			raw := dialRaw(t, addr)
			conn := tls.Client(raw, clientCfg)
			handshakeErr := conn.Handshake()

			if tt.wantAccepted {
				require.NoError(t, handshakeErr)
				require.NoError(t, testutil.RoundTrip(conn, []byte("who am I?")))
				state := <-h.states
				require.NotEmpty(t, state.PeerCertificates, "the server sees the client's certificate")
				assert.Equal(t, "client", state.PeerCertificates[0].Subject.CommonName)
				return
			}
			// Under TLS 1.2 the client learns of the rejection in the handshake; under TLS 1.3
			// its handshake ends before the server has checked the certificate, so the
			// rejection arrives on the first read instead.
			if tt.version == tls.VersionTLS12 {
				assert.Error(t, handshakeErr, "the client's handshake fails")
			}
			if handshakeErr == nil {
				assert.Error(t, testutil.RoundTrip(conn, []byte("let me in")), "no echo for a rejected client")
			}
			assert.Error(t, closedErr(t, h, raw.LocalAddr()), "OnClosed reports the rejected handshake")
		})
	}
}
