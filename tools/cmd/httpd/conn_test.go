package main

import (
	"github.com/gnetio/gnet/api/embedded"
)

// newFakeConn opens an in-memory connection on hs, which runs hs's codec and handler as an
// event loop does.
func newFakeConn(hs *httpServer) *embedded.Conn {
	c := embedded.New(hs, embedded.WithCodec(hs.codec))
	c.Open()
	return c
}

// feed delivers data to c as one read and lets the codec and React consume it. It returns the
// codec's error, if it is one that closes the connection. Once c's buffers have grown it
// allocates nothing, so the benchmarks measure the handler alone.
func feed(c *embedded.Conn, data []byte) error {
	_, err := c.Feed(data)
	return err
}

// isClosed reports whether the handler closed c.
func isClosed(c *embedded.Conn) bool {
	closed, _ := c.Closed()
	return closed
}
