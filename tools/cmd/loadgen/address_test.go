package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitAddress(t *testing.T) {
	tests := []struct {
		name        string
		addr        string
		wantNetwork string
		wantAddress string
		wantErr     error
	}{
		{name: "bare host and port is tcp", addr: "127.0.0.1:9000", wantNetwork: "tcp", wantAddress: "127.0.0.1:9000"},
		{name: "tcp scheme", addr: "tcp://127.0.0.1:9000", wantNetwork: "tcp", wantAddress: "127.0.0.1:9000"},
		{name: "tcp6 scheme", addr: "tcp6://[::1]:9000", wantNetwork: "tcp6", wantAddress: "[::1]:9000"},
		{name: "unix scheme keeps the absolute path", addr: "unix:///tmp/echo.sock", wantNetwork: "unix", wantAddress: "/tmp/echo.sock"},
		{name: "unix without path", addr: "unix://", wantErr: ErrBadAddress},
		{name: "tcp without port", addr: "tcp://127.0.0.1", wantErr: ErrBadAddress},
		{name: "udp scheme", addr: "udp://127.0.0.1:9000", wantNetwork: "udp", wantAddress: "127.0.0.1:9000"},
		{name: "udp6 scheme", addr: "udp6://[::1]:9000", wantNetwork: "udp6", wantAddress: "[::1]:9000"},
		{name: "udp without port", addr: "udp://127.0.0.1", wantErr: ErrBadAddress},
		{name: "unknown scheme", addr: "sctp://127.0.0.1:9000", wantErr: ErrBadAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			network, address, err := splitAddress(tt.addr)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantNetwork, network)
			assert.Equal(t, tt.wantAddress, address)
		})
	}
}
