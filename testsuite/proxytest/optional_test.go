package proxytest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

func TestOptionalHeaderServesClientsWithAndWithoutOneDecidingByTheFirstBytes(t *testing.T) {
	cases := []struct {
		name string
		// header is sent first when not empty; then payload is echoed.
		header     []byte
		payload    string
		wantHeader bool
	}{
		{name: "a version 1 header", header: testutil.ProxyHeader(t, relayed(1, client4, front4)), payload: "hello\n", wantHeader: true},
		{name: "a version 2 header", header: testutil.ProxyHeader(t, relayed(2, client6, front6)), payload: "hello\n", wantHeader: true},
		{name: "no header", payload: "hello\n"},
		{name: "a line that begins like a version 1 header", payload: "PROXIMA CENTAURI\n"},
		{name: "bytes that begin like the version 2 signature", payload: "\r\n\r\nhello\n"},
	}
	h := newProxyEcho()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyOptional))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := testutil.Dial(t, srv.Addr)
			if len(tc.header) > 0 {
				_, err := conn.Write(tc.header)
				require.NoError(t, err)
			}
			expectEcho(t, conn, tc.payload)
			o := h.nextOpening(t)
			require.Equal(t, tc.wantHeader, o.hasHeader)
			if tc.wantHeader {
				require.Equal(t, o.header.Source.String(), o.remote.String())
				return
			}
			require.Equal(t, conn.LocalAddr().String(), o.remote.String(), "the socket's peer")
		})
	}
}
