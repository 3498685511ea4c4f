package peer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitAddressReadsTheSchemeAndDefaultsToTCP(t *testing.T) {
	tests := []struct {
		name        string
		addr        string
		wantNetwork string
		wantAddress string
	}{
		{name: "tcp scheme", addr: "tcp://127.0.0.1:9000", wantNetwork: "tcp", wantAddress: "127.0.0.1:9000"},
		{name: "unix scheme", addr: "unix:///tmp/echo.sock", wantNetwork: "unix", wantAddress: "/tmp/echo.sock"},
		{name: "tcp6 scheme", addr: "tcp6://[::1]:9000", wantNetwork: "tcp6", wantAddress: "[::1]:9000"},
		{name: "bare host and port", addr: "127.0.0.1:9000", wantNetwork: "tcp", wantAddress: "127.0.0.1:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			network, address := SplitAddress(tt.addr)
			assert.Equal(t, tt.wantNetwork, network)
			assert.Equal(t, tt.wantAddress, address)
		})
	}
}
