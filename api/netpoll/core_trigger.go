package netpoll

// Trigger queues fn(arg) to run on the event loop and wakes the loop unless a wake-up is
// already pending. It may be called from any goroutine, including the event loop itself.
// After Close it returns ErrPollerClosed and fn never runs; a Trigger that races with Close
// may return nil and still see its task dropped, as Polling drops queued tasks when it stops.
// It returns ErrNilTask for a nil fn.
//
// hot path: no allocation
func (c *Core[E]) Trigger(pri Priority, fn TaskFunc, arg any) error {
	if fn == nil {
		return ErrNilTask
	}
	if c.closed.Load() {
		return ErrPollerClosed
	}
	if pri == PriorityUrgent {
		c.tasks.PushUrgent(fn, arg)
	} else {
		c.tasks.PushNormal(fn, arg)
	}
	c.counters.Triggers.Add(1)
	// The task is fully linked before the flag is looked at. If the flag is 1, the loop has
	// yet to consume that wake-up and clears the flag only before its next drain, which then
	// sees this task; so only the trigger that moves the flag from 0 to 1 wakes the kernel.
	// Loading first keeps the cache line shared while a wake-up is pending.
	if c.wakePending.Load() != 0 || !c.wakePending.CompareAndSwap(0, 1) {
		return nil
	}
	return c.sendClaimedWakeup()
}

// sendClaimedWakeup sends the wake-up that this trigger won the right to send.
//
// hot path: no allocation
func (c *Core[E]) sendClaimedWakeup() error {
	if !c.borrowDescriptors() {
		// Close has begun: it wakes the loop itself, and queued tasks are dropped.
		return nil
	}
	err := c.wake()
	c.returnDescriptors()
	if err != nil {
		// Let the next trigger try again rather than leave the flag claiming a wake-up that
		// never reached the kernel.
		c.wakePending.Store(0)
	}
	return err
}

// wake asks the kernel to end the loop's wait and counts the wake-up. The caller guarantees
// that the descriptors are open (it borrowed them, or holds mu while Polling runs).
//
// hot path: no allocation
func (c *Core[E]) wake() error {
	if err := c.kernel.Wake(); err != nil {
		return err
	}
	c.counters.Wakeups.Add(1)
	return nil
}
