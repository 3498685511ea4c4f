//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"runtime"

	"github.com/gnetio/gnet/api/netpoll"
)

// Close stops Polling and releases the poller's descriptors. It may be called from any
// goroutine, including from a callback or a task on the event loop, and any number of times;
// calls after the first return nil. When Polling is running, Close only wakes it and returns:
// Polling closes the descriptors on its way out, because closing a kqueue while another
// thread waits in kevent on it is a use-after-close of a descriptor number.
func (p *Poller) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed.CompareAndSwap(false, true) {
		return nil
	}
	if p.polling {
		// mu keeps Polling from closing the descriptors under this write.
		return p.signalWakeup()
	}
	return p.closeDescriptors()
}

// beginPolling marks Polling as running, or reports why it may not run.
func (p *Poller) beginPolling() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed.Load() {
		return netpoll.ErrPollerClosed
	}
	if p.polling {
		return ErrAlreadyPolling
	}
	p.polling = true
	return nil
}

// endPolling marks Polling as stopped and, when Close was called meanwhile, closes the
// descriptors that Close left open for it.
func (p *Poller) endPolling() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.polling = false
	if p.closed.Load() {
		return p.closeDescriptors()
	}
	return nil
}

// borrowDescriptors reports whether the descriptors may be used, and if so keeps them open
// until returnDescriptors. Incrementing before checking closed pairs with Close setting
// closed before waitForBorrowers reads the count: one of the two always sees the other.
func (p *Poller) borrowDescriptors() bool {
	p.borrowers.Add(1)
	if p.closed.Load() {
		p.borrowers.Add(-1)
		return false
	}
	return true
}

// returnDescriptors ends a borrowDescriptors that returned true.
func (p *Poller) returnDescriptors() { p.borrowers.Add(-1) }

// waitForBorrowers yields until every borrower has returned the descriptors. Borrowers hold
// them for one non-blocking system call only, so the wait is short and bounded.
func (p *Poller) waitForBorrowers() {
	for p.borrowers.Load() != 0 {
		runtime.Gosched()
	}
}
