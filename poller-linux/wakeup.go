//go:build linux

package poller

import (
	"encoding/binary"
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// eventfdIncrement is the 8-byte value written to the eventfd: the kernel adds it, as a
// host-order uint64, to the eventfd's counter and marks the eventfd readable.
var eventfdIncrement = func() (b [8]byte) {
	binary.NativeEndian.PutUint64(b[:], 1)
	return b
}()

// signalWakeup makes the eventfd readable, which ends the loop's epoll_wait. The caller
// guarantees that wakefd is open (it borrowed the descriptors or holds mu while Polling runs).
//
// hot path: no allocation
func (p *Poller) signalWakeup() error {
	_, err := unix.Write(p.wakefd, eventfdIncrement[:])
	if errors.Is(err, unix.EAGAIN) {
		// The counter is at its maximum, so the eventfd is readable already: the wake-up this
		// write was meant to cause is pending.
		return nil
	}
	if err != nil {
		return os.NewSyscallError("write", err)
	}
	p.wakeups.Add(1)
	return nil
}

// consumeWakeup resets the eventfd counter and then clears wakePending. The order matters:
// cleared first, a trigger could set the flag and write the eventfd just before this read
// swallows that write, leaving the flag claiming a pending wake-up that the kernel no longer
// holds, and every later trigger would skip its write. Clearing the flag before the task
// drain (the caller's job) means a trigger racing with the drain sends a fresh wake-up.
//
// hot path: no allocation
func (p *Poller) consumeWakeup() error {
	_, err := unix.Read(p.wakefd, p.wakeDrain[:])
	// EAGAIN means the counter is zero already: nothing to reset, but the flag must still be
	// cleared.
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		return os.NewSyscallError("read", err)
	}
	p.wakePending.Store(0)
	return nil
}
