package tlstest

import (
	"crypto/tls"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

const largePayload = 4 << 20

// lengthPrefixBytes is the width of the length field the length-field framing uses.
const lengthPrefixBytes = 4

// lengthFieldCodec frames with a 4-byte big-endian length and accepts the large payload.
func lengthFieldCodec(t *testing.T) api.ICodec {
	t.Helper()
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: lengthPrefixBytes},
		codec.DecoderConfig{
			ByteOrder: binary.BigEndian, LengthFieldLength: lengthPrefixBytes,
			InitialBytesToStrip: lengthPrefixBytes, MaxFrameLength: 2 * largePayload,
		},
	)
	require.NoError(t, err)
	return cd
}

// lengthPrefixed returns msg behind its 4-byte big-endian length.
func lengthPrefixed(msg []byte) []byte {
	framed := make([]byte, lengthPrefixBytes, lengthPrefixBytes+len(msg))
	binary.BigEndian.PutUint32(framed, uint32(len(msg)))
	return append(framed, msg...)
}

func TestCryptoTLSClientsEchoByteExactThroughWithTls(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	framings := []struct {
		name  string
		codec func(t *testing.T) api.ICodec
		frame func(msg []byte) []byte
	}{
		{name: "passthrough", codec: func(*testing.T) api.ICodec { return nil }, frame: func(msg []byte) []byte { return msg }},
		{name: "length field", codec: lengthFieldCodec, frame: lengthPrefixed},
	}
	versions := []struct {
		name    string
		version uint16
	}{
		{name: "TLS 1.2", version: tls.VersionTLS12},
		{name: "TLS 1.3", version: tls.VersionTLS13},
	}
	loads := []struct {
		name     string
		messages [][]byte
	}{
		{name: "small messages", messages: [][]byte{
			[]byte("a"),
			[]byte("hello over TLS"),
			testutil.Payload(1000, 1),
			testutil.Payload(16<<10+1, 2), // one byte more than a record holds
		}},
		{name: "4 MiB", messages: [][]byte{testutil.Payload(largePayload, 3)}},
	}
	for _, framing := range framings {
		t.Run(framing.name, func(t *testing.T) {
			opts := []server.Option{server.WithTls(fixture.ServerConfig())}
			if cd := framing.codec(t); cd != nil {
				opts = append(opts, server.WithCodec(cd))
			}
			addr := serve(t, &echoHandler{}, opts...)
			for _, version := range versions {
				for _, load := range loads {
					t.Run(version.name+"/"+load.name, func(t *testing.T) {
						cfg := fixture.ClientConfig()
						cfg.MinVersion, cfg.MaxVersion = version.version, version.version
						conn := dialTLS(t, addr, cfg)
						assert.Equal(t, version.version, conn.ConnectionState().Version)
						for _, msg := range load.messages {
							require.NoError(t, testutil.RoundTrip(conn, framing.frame(msg)), "%d-byte message", len(msg))
						}
					})
				}
			}
		})
	}
}
