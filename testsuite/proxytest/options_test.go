package proxytest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

func TestServeRefusesTheProxyProtocolOverUDPAndOptionsOutOfRange(t *testing.T) {
	cases := []struct {
		name string
		addr string
		opts []server.Option
	}{
		{name: "over udp", addr: "udp://127.0.0.1:0", opts: []server.Option{server.WithProxyProtocol(server.ProxyRequired)}},
		{name: "optional over udp4", addr: "udp4://127.0.0.1:0", opts: []server.Option{server.WithProxyProtocol(server.ProxyOptional)}},
		{name: "an unknown mode", addr: "tcp://127.0.0.1:0", opts: []server.Option{server.WithProxyProtocol(server.ProxyRequired + 1)}},
		{name: "a negative header timeout", addr: "tcp://127.0.0.1:0",
			opts: []server.Option{server.WithProxyProtocol(server.ProxyRequired), server.WithProxyHeaderTimeout(-time.Second)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newProxyEcho()
			opts := append([]server.Option{server.WithBlock(false), server.WithLogger(new(testutil.Logger))}, tc.opts...)
			err := server.Serve(h, tc.addr, opts...)
			if srv, started := h.Server(); started {
				srv.Close()
			}
			require.ErrorIs(t, err, server.ErrInvalidOption)
		})
	}
}
