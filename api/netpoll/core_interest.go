package netpoll

// AddRead registers fd for read readiness and half-close. Call it from the event loop's
// goroutine, or from one goroutine before Polling starts. After Close it returns
// ErrPollerClosed.
func (c *Core[E]) AddRead(fd int) error { return c.control(OpAdd, fd, EventRead) }

// AddReadWrite registers fd for read and write readiness. Same callers and errors as AddRead.
func (c *Core[E]) AddReadWrite(fd int) error { return c.control(OpAdd, fd, EventRead|EventWrite) }

// AddWrite registers fd for write readiness only, as for a connecting socket. Same callers and
// errors as AddRead.
func (c *Core[E]) AddWrite(fd int) error { return c.control(OpAdd, fd, EventWrite) }

// ModRead changes fd's interest to read readiness only. Same callers and errors as AddRead.
func (c *Core[E]) ModRead(fd int) error { return c.control(OpModify, fd, EventRead) }

// ModReadWrite changes fd's interest to read and write readiness. Same callers and errors as
// AddRead.
func (c *Core[E]) ModReadWrite(fd int) error {
	return c.control(OpModify, fd, EventRead|EventWrite)
}

// ModWrite changes fd's interest to write readiness only. Same callers and errors as AddRead.
func (c *Core[E]) ModWrite(fd int) error { return c.control(OpModify, fd, EventWrite) }

// Delete removes fd from the poller; close fd only afterwards, since the kernel tracks the open
// file, not the number, and a duplicated descriptor would keep reporting. Same callers and
// errors as AddRead.
func (c *Core[E]) Delete(fd int) error { return c.control(OpDelete, fd, 0) }

// control applies one registration change while keeping the kernel's descriptors open.
func (c *Core[E]) control(op Op, fd int, interest Event) error {
	if !c.borrowDescriptors() {
		return ErrPollerClosed
	}
	err := c.kernel.Control(op, fd, interest)
	c.returnDescriptors()
	return err
}
