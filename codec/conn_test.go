package codec_test

import (
	"crypto/tls"
	"errors"
	"net"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/buffer"
)

// errNotInMemory is what memConn's methods that would need a socket or an engine return.
var errNotInMemory = errors.New("memConn: not available on an in-memory connection")

// memConn is an api.Conn without a socket or an engine: its inbound bytes live in a
// buffer.Ring that the test fills with feed, in the manner of Netty's EmbeddedChannel. Only the
// inbound-buffer methods a codec uses behave like the engine's; the others do nothing or fail.
type memConn struct {
	inbound buffer.Ring
}

var _ api.Conn = (*memConn)(nil)

// newMemConn returns a connection whose inbound buffer holds the given chunks, in order.
func newMemConn(chunks ...[]byte) *memConn {
	c := new(memConn)
	for _, chunk := range chunks {
		c.feed(chunk)
	}
	return c
}

// feed appends p to the inbound buffer, as a read from the socket would. Like a read, it ends
// the validity of frames decoded before it.
func (c *memConn) feed(p []byte) {
	if _, err := c.inbound.Write(p); err != nil {
		// Tests stay far below buffer.MaxRingSize; getting here is a broken test.
		panic(err)
	}
}

func (c *memConn) Read() []byte { return c.inbound.Bytes() }

func (c *memConn) ResetBuffer() { c.inbound.Reset() }

func (c *memConn) ShiftN(n int) int { return c.inbound.Discard(n) }

func (c *memConn) ReadN(n int) (int, []byte) {
	if n <= 0 || c.inbound.Len() < n {
		return 0, nil
	}
	buf := c.inbound.Bytes()[:n:n]
	c.inbound.Discard(n)
	return n, buf
}

func (c *memConn) BufferLength() int { return c.inbound.Len() }

func (c *memConn) Context() any { return nil }

func (c *memConn) SetContext(any) {}

func (c *memConn) LocalAddr() net.Addr { return nil }

func (c *memConn) RemoteAddr() net.Addr { return nil }

func (c *memConn) SendTo([]byte) error { return errNotInMemory }

func (c *memConn) AsyncWrite([]byte) error { return errNotInMemory }

func (c *memConn) Wake() error { return errNotInMemory }

func (c *memConn) Close() error { return errNotInMemory }

func (c *memConn) UpgradeTls(*tls.Config) error { return errNotInMemory }

func (c *memConn) WriteNoCodec([]byte) error { return errNotInMemory }

func (c *memConn) FlushWrite([]byte, ...bool) {}
