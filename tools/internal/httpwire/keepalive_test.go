package httpwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeepAliveFollowsVersionAndConnectionOptions(t *testing.T) {
	tests := []struct {
		name      string
		version   string
		fields    string
		wantAlive bool
	}{
		{name: "HTTP/1.1 keeps the connection by default", version: "HTTP/1.1", wantAlive: true},
		{name: "HTTP/1.1 closes on close", version: "HTTP/1.1", fields: "Connection: close\r\n"},
		{name: "HTTP/1.1 close in any case", version: "HTTP/1.1", fields: "connection: ClOsE\r\n"},
		{name: "HTTP/1.1 close among other options", version: "HTTP/1.1", fields: "Connection: Upgrade, close\r\n"},
		{name: "HTTP/1.1 close in a second field", version: "HTTP/1.1", fields: "Connection: TE\r\nConnection: close\r\n"},
		{name: "HTTP/1.1 keep-alive changes nothing", version: "HTTP/1.1", fields: "Connection: keep-alive\r\n", wantAlive: true},
		{name: "HTTP/1.1 an option containing close is not close", version: "HTTP/1.1", fields: "Connection: closed, x-close\r\n", wantAlive: true},
		{name: "HTTP/1.0 closes by default", version: "HTTP/1.0"},
		{name: "HTTP/1.0 keeps the connection on keep-alive", version: "HTTP/1.0", fields: "Connection: Keep-Alive\r\n", wantAlive: true},
		{name: "HTTP/1.0 keep-alive among other options", version: "HTTP/1.0", fields: "Connection: foo ,keep-alive\r\n", wantAlive: true},
		{name: "HTTP/1.0 close wins over keep-alive", version: "HTTP/1.0", fields: "Connection: keep-alive, close\r\n"},
	}
	p := newTestParser(t, DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			_, err := p.Parse([]byte("GET / "+tt.version+"\r\nHost: h\r\n"+tt.fields+"\r\n"), &req)
			require.NoError(t, err)
			assert.Equal(t, tt.wantAlive, req.KeepAlive)
		})
	}
}
