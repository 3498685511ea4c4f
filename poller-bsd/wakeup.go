//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

// signalWakeup makes the wake-up source ready, which ends the loop's kevent. The caller
// guarantees that the descriptors are open (it borrowed them or holds mu while Polling runs).
//
// hot path: no allocation
func (p *Poller) signalWakeup() error {
	if err := p.wake.signal(p.kq); err != nil {
		return err
	}
	p.wakeups.Add(1)
	return nil
}

// consumeWakeup resets the wake-up source and then clears wakePending. The order matters:
// cleared first, a trigger could set the flag and signal just before the reset swallows that
// signal, leaving the flag claiming a pending wake-up that the kernel no longer holds, and
// every later trigger would skip its signal. Clearing the flag before the task drain (the
// caller's job) means a trigger racing with the drain sends a fresh wake-up.
//
// hot path: no allocation
func (p *Poller) consumeWakeup() error {
	if err := p.wake.reset(); err != nil {
		return err
	}
	p.wakePending.Store(0)
	return nil
}
