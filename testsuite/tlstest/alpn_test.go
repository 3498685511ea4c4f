package tlstest

import (
	"crypto/tls"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// stateHandler echoes every frame and reports the connection's TLS state as React sees it.
type stateHandler struct {
	testutil.Recorder
	states chan tls.ConnectionState
}

func newStateHandler() *stateHandler {
	return &stateHandler{states: make(chan tls.ConnectionState, 16)}
}

func (h *stateHandler) React(frame []byte, c api.Conn) api.Action {
	state, ok := c.(api.TLSConn).ConnectionState()
	if !ok {
		return api.Close
	}
	h.states <- state
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func TestALPNNegotiatesTheSameProtocolOnBothSides(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	tests := []struct {
		name          string
		clientProtos  []string
		wantProtocol  string
		wantHandshake bool
	}{
		{name: "client asks for http/1.1 only", clientProtos: []string{"http/1.1"}, wantProtocol: "http/1.1", wantHandshake: true},
		{name: "server preference wins over the client's", clientProtos: []string{"http/1.1", "h2"}, wantProtocol: "h2", wantHandshake: true},
		{name: "client asks for nothing", clientProtos: nil, wantProtocol: "", wantHandshake: true},
		{name: "no protocol in common", clientProtos: []string{"spdy/3"}, wantHandshake: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serverCfg := fixture.ServerConfig()
			serverCfg.NextProtos = []string{"h2", "http/1.1"}
			h := newStateHandler()
			addr := serve(t, h, server.WithTls(serverCfg))
			clientCfg := fixture.ClientConfig()
			clientCfg.NextProtos = tt.clientProtos

			if !tt.wantHandshake {
				raw := dialRaw(t, addr)
				err := tls.Client(raw, clientCfg).Handshake()
				require.Error(t, err)
				assert.Error(t, closedErr(t, h, raw.LocalAddr()), "OnClosed reports the failed handshake")
				return
			}
			conn := dialTLS(t, addr, clientCfg)
			require.NoError(t, testutil.RoundTrip(conn, []byte("which protocol?")))
			clientState := conn.ConnectionState()
			serverState := <-h.states
			assert.Equal(t, tt.wantProtocol, clientState.NegotiatedProtocol, "client side")
			assert.Equal(t, tt.wantProtocol, serverState.NegotiatedProtocol, "server side")
			assert.Equal(t, clientState.Version, serverState.Version)
			assert.Equal(t, clientState.CipherSuite, serverState.CipherSuite)
			assert.Equal(t, tlsutil.ServerName, serverState.ServerName, "the server saw the client's SNI")
		})
	}
}
