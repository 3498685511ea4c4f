package proxytest

import (
	"crypto/tls"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// prefixedConn sends prefix in the same write as the first bytes written through it.
type prefixedConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixedConn) Write(b []byte) (int, error) {
	if c.prefix == nil {
		return c.Conn.Write(b)
	}
	n, err := c.Conn.Write(append(c.prefix, b...))
	sent := max(0, n-len(c.prefix))
	c.prefix = nil
	return sent, err
}

func TestTLSAfterTheHeaderHandshakesAndServesTheClientTheHeaderNames(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	cases := []struct {
		name string
		// withClientHello sends the header in the same write as the ClientHello, so that
		// both come in one read.
		withClientHello bool
	}{
		{name: "the header alone, then the handshake"},
		{name: "the header and the ClientHello in one write", withClientHello: true},
	}
	h := newProxyEcho()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired),
		server.WithTls(fixture.ServerConfig()))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := testutil.Dial(t, srv.Addr)
			header := testutil.ProxyHeader(t, relayed(2, client6, front6))
			transport := raw
			if tc.withClientHello {
				transport = &prefixedConn{Conn: raw, prefix: header}
			} else {
				_, err := raw.Write(header)
				require.NoError(t, err)
			}
			conn := tls.Client(transport, fixture.ClientConfig())
			require.NoError(t, conn.Handshake())
			expectEcho(t, conn, "over TLS\n")
			o := h.nextOpening(t)
			require.Equal(t, client6.String(), o.remote.String())
			require.Equal(t, front6.String(), o.local.String())
		})
	}
}
