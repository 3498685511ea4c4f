package codec_test

import "github.com/gnetio/gnet/api/embedded"

// newMemConn returns an in-memory connection without a handler whose inbound bytes are the
// given chunks, in order: what a codec sees after those reads.
func newMemConn(chunks ...[]byte) *embedded.Conn {
	c := embedded.New(nil)
	for _, chunk := range chunks {
		c.Buffer(chunk)
	}
	return c
}
