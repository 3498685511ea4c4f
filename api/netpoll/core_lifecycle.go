package netpoll

import "runtime"

// Close stops Polling and releases the kernel's descriptors. It may be called from any
// goroutine, including from a callback or a task on the event loop, and any number of times;
// calls after the first return nil. When Polling is running, Close only wakes it and returns:
// Polling closes the descriptors on its way out, because closing an epoll instance or a kqueue
// while another thread waits on it is a use-after-close of a descriptor number.
func (c *Core[E]) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	if c.polling {
		// mu keeps Polling from closing the descriptors under this wake-up.
		return c.wake()
	}
	return c.closeDescriptors()
}

// beginPolling marks Polling as running, or reports why it may not run.
func (c *Core[E]) beginPolling() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return ErrPollerClosed
	}
	if c.polling {
		return ErrAlreadyPolling
	}
	c.polling = true
	return nil
}

// endPolling marks Polling as stopped and, when Close was called meanwhile, closes the
// descriptors that Close left open for it.
func (c *Core[E]) endPolling() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.polling = false
	if c.closed.Load() {
		return c.closeDescriptors()
	}
	return nil
}

// borrowDescriptors reports whether the kernel's descriptors may be used, and if so keeps them
// open until returnDescriptors; a false result means Close has begun. Incrementing before
// checking closed pairs with Close setting closed before waitForBorrowers reads the count: one
// of the two always sees the other.
//
// hot path: no allocation
func (c *Core[E]) borrowDescriptors() bool {
	c.borrowers.Add(1)
	if c.closed.Load() {
		c.borrowers.Add(-1)
		return false
	}
	return true
}

// returnDescriptors ends a borrowDescriptors that returned true.
//
// hot path: no allocation
func (c *Core[E]) returnDescriptors() { c.borrowers.Add(-1) }

// closeDescriptors closes the kernel's descriptors once no borrower is using them. The caller
// holds mu and has set closed, so no new borrower can start.
func (c *Core[E]) closeDescriptors() error {
	c.waitForBorrowers()
	return c.kernel.CloseDescriptors()
}

// waitForBorrowers yields until every borrower has returned the descriptors. Borrowers hold
// them for one non-blocking system call only, so the wait is short and bounded.
func (c *Core[E]) waitForBorrowers() {
	for c.borrowers.Load() != 0 {
		runtime.Gosched()
	}
}
