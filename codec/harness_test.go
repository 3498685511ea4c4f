package codec_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/embedded"
	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/require"
)

// frameCodec is what every codec in the package is: an api.ICodec that can also append.
type frameCodec interface {
	api.ICodec
	codec.AppendEncoder
}

// isWaitForMore reports whether Decode's result means "no whole frame yet", as the engine
// reads it.
func isWaitForMore(frame []byte, err error) bool {
	return frame == nil && (err == nil || errors.Is(err, io.ErrUnexpectedEOF))
}

// decodeBuffered decodes frames from c until the codec waits for more bytes, the way the
// engine does after a read, and returns copies of them: a frame is only valid until the next
// feed. It fails the test on any error other than "wait".
func decodeBuffered(t testing.TB, cd api.ICodec, c *embedded.Conn) [][]byte {
	t.Helper()
	var frames [][]byte
	// Every frame consumes at least one byte, so more iterations than bytes mean a codec
	// that returns frames without consuming anything.
	for limit := c.BufferLength() + 1; limit >= 0; limit-- {
		frame, err := cd.Decode(c)
		if isWaitForMore(frame, err) {
			return frames
		}
		require.NoError(t, err)
		frames = append(frames, bytes.Clone(frame))
	}
	require.FailNow(t, "Decode kept returning frames without consuming the buffer")
	return nil
}

// decodeChunks feeds chunks one by one to a fresh connection, decoding after each as the
// engine does, and returns every frame in order together with the bytes left buffered.
func decodeChunks(t testing.TB, cd api.ICodec, chunks ...[]byte) (frames [][]byte, remaining []byte) {
	t.Helper()
	c := newMemConn()
	for _, chunk := range chunks {
		c.Buffer(chunk)
		frames = append(frames, decodeBuffered(t, cd, c)...)
	}
	return frames, bytes.Clone(c.Read())
}

// encodeStream encodes frames back to back with Encode.
func encodeStream(t testing.TB, cd api.ICodec, frames [][]byte) []byte {
	t.Helper()
	var stream []byte
	for _, frame := range frames {
		encoded, err := cd.Encode(nil, frame)
		require.NoError(t, err)
		stream = append(stream, encoded...)
	}
	return stream
}

// splitEvery cuts stream into chunks of one byte.
func splitEvery(stream []byte) [][]byte {
	chunks := make([][]byte, len(stream))
	for i := range stream {
		chunks[i] = stream[i : i+1]
	}
	return chunks
}

// patternBytes returns n bytes that avoid '\n', '\r' and ';' (the delimiters the tests use),
// so that they can be a frame for every codec.
func patternBytes(n int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[i%len(alphabet)]
	}
	return b
}
