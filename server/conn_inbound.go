package server

// The inbound side of a connection as a handler and a codec see it: the unconsumed bytes are
// either the rest of the current read, still in the loop's read buffer (view), or leftovers
// kept in the connection's ring buffer (inbound); never both. All of these run on the loop.

// Read returns the unconsumed inbound bytes without consuming them.
func (c *conn) Read() []byte {
	if len(c.view) > 0 {
		return c.view
	}
	return c.inbound.Bytes()
}

// ResetBuffer discards every unconsumed inbound byte.
func (c *conn) ResetBuffer() {
	c.view = c.view[:0]
	c.inbound.Reset()
}

// ShiftN discards up to n unconsumed inbound bytes and returns how many it discarded.
func (c *conn) ShiftN(n int) int {
	if n <= 0 {
		return 0
	}
	if len(c.view) > 0 {
		n = min(n, len(c.view))
		c.view = c.view[n:]
		return n
	}
	return c.inbound.Discard(n)
}

// ReadN consumes and returns the next n bytes, or nothing when fewer are buffered.
func (c *conn) ReadN(n int) (int, []byte) {
	if n <= 0 || c.BufferLength() < n {
		return 0, nil
	}
	if len(c.view) > 0 {
		buf := c.view[:n:n]
		c.view = c.view[n:]
		return n, buf
	}
	buf := c.inbound.Bytes()[:n:n]
	c.inbound.Discard(n)
	return n, buf
}

// BufferLength returns how many inbound bytes are unconsumed.
func (c *conn) BufferLength() int { return len(c.view) + c.inbound.Len() }
