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

// Wake makes the eventfd readable, which ends the loop's epoll_wait.
//
// hot path: no allocation
func (k *epoll) Wake() error {
	_, err := unix.Write(k.wakefd, eventfdIncrement[:])
	// EAGAIN means the counter is at its maximum, so the eventfd is readable already: the
	// wake-up this write was meant to cause is pending.
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		return os.NewSyscallError("write", err)
	}
	return nil
}

// ConsumeWakeup reads the eventfd counter back to zero, so that the level-triggered
// registration stops reporting it.
//
// hot path: no allocation
func (k *epoll) ConsumeWakeup() error {
	_, err := unix.Read(k.wakefd, k.wakeDrain[:])
	// EAGAIN means the counter is zero already: nothing to reset.
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		return os.NewSyscallError("read", err)
	}
	return nil
}
