package tlstest

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// echoOnceHandler echoes one line and closes the connection, so that openssl s_client, which
// keeps reading after its standard input ends, exits once it has the echo.
type echoOnceHandler struct{ testutil.Recorder }

func (h *echoOnceHandler) React(frame []byte, c api.Conn) api.Action {
	// Whether or not the echo could be queued, this connection has done its part; a lost
	// echo shows in the test's comparison.
	_ = c.AsyncWrite(frame)
	return api.Close
}

func TestOpenSSLSClientEchoesThroughWithTls(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed")
	}
	fixture := tlsutil.NewFixture(t)
	caFile := fixture.WriteCAFile(t)
	h := &echoOnceHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithCodec(codec.NewLineBasedFrameCodec()))
	_, port, err := net.SplitHostPort(addr.String())
	require.NoError(t, err)

	tests := []struct {
		name    string
		version string
	}{
		{name: "TLS 1.3", version: "-tls1_3"},
		{name: "TLS 1.2", version: "-tls1_2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), testutil.WaitLimit)
			defer cancel()
			line := "hello from openssl over " + tt.name + "\n"
			cmd := exec.CommandContext(ctx, openssl, "s_client",
				"-connect", "127.0.0.1:"+port, "-servername", tlsutil.ServerName,
				"-CAfile", caFile, "-verify_return_error", tt.version, "-quiet")
			cmd.Stdin = strings.NewReader(line)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, "openssl s_client: %s", stderr.String())
			assert.Equal(t, line, string(out))
		})
	}
}
