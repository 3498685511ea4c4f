//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

// Wake makes the wake-up source ready, which ends the loop's kevent.
//
// hot path: no allocation
func (k *kqueue) Wake() error { return k.wake.signal(k.kq) }

// ConsumeWakeup resets the wake-up source, so that kevent stops reporting it.
//
// hot path: no allocation
func (k *kqueue) ConsumeWakeup() error { return k.wake.reset() }
