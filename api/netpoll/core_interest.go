package netpoll

// Register starts watching fd for interest, with token carried by its events. Call it from the
// event loop's goroutine, or from one goroutine before Polling starts. After Close it returns
// ErrPollerClosed; for ReservedToken, ErrReservedToken.
func (c *Core[E]) Register(fd int, token Token, interest Event) error {
	return c.control(OpAdd, fd, token, interest)
}

// Reregister replaces the interest and the token of a registered fd. Same callers and errors as
// Register.
func (c *Core[E]) Reregister(fd int, token Token, interest Event) error {
	return c.control(OpModify, fd, token, interest)
}

// Deregister stops watching fd, which stays open. To stop watching a descriptor for good, closing
// it is enough and saves this call: the kernel ends the registration with the close of the open
// file's last descriptor (kqueue at once); while a duplicate lives, its events still come, with
// the token they were registered with, which the caller must then recognise as stale. Same
// callers and errors as Register.
func (c *Core[E]) Deregister(fd int) error { return c.control(OpDelete, fd, 0, 0) }

// control applies one registration change while keeping the kernel's descriptors open.
func (c *Core[E]) control(op Op, fd int, token Token, interest Event) error {
	if token == ReservedToken && op != OpDelete {
		return ErrReservedToken
	}
	if !c.borrowDescriptors() {
		return ErrPollerClosed
	}
	err := c.kernel.Control(op, fd, token, interest)
	c.returnDescriptors()
	return err
}
