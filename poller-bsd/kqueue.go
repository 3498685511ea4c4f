//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// kqueue is the netpoll.Kernel of this backend: a kqueue and its wake-up source, and the
// tokens of the registrations. openKqueue sets kq and wake, which are then read-only:
// producers use wake concurrently. netpoll.Core calls its methods under the rules of
// netpoll.Kernel.
type kqueue struct {
	kq    int
	wake  wakeup
	limit unix.Timespec // the bound of the wait in progress; owned by the event loop

	// A kevent carries its ident (the descriptor) but no room for a 64-bit token on every
	// system (udata is a pointer on most, which must not hold an arbitrary integer in Go), so
	// the tokens are kept here, by descriptor number. Owned by the event loop.
	registrations []registration
	// turn counts waits: a registration made in the turn whose events are being dispatched
	// did not exist when they were collected, so its descriptor's entries in that batch are
	// stale (an earlier descriptor of that number, closed since) and are dropped.
	turn uint64
}

// registration is one descriptor's token and the turn in which it was registered.
type registration struct {
	token netpoll.Token
	turn  uint64
}

// openKqueue creates the kqueue and its wake-up source.
func openKqueue(netpoll.Options) (netpoll.Kernel[unix.Kevent_t], error) {
	kq, err := newCloseOnExecKqueue()
	if err != nil {
		return nil, err
	}
	wake, err := openWakeup(kq)
	if err != nil {
		// The wake-up error is the one worth reporting; closing a kqueue nobody used cannot
		// lose data.
		_ = unix.Close(kq)
		return nil, err
	}
	return &kqueue{kq: kq, wake: wake}, nil
}

// newCloseOnExecKqueue creates a kqueue and marks it close-on-exec. kqueue(2) has no flag for
// that on every system here, so the two calls run under syscall.ForkLock, as the standard
// library's own descriptors do: a fork between them would leak the descriptor into the
// child's exec.
func newCloseOnExecKqueue() (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	kq, err := unix.Kqueue()
	if err != nil {
		return -1, os.NewSyscallError("kqueue", err)
	}
	unix.CloseOnExec(kq)
	return kq, nil
}

// Wait runs kevent: at once for a zero timeout, otherwise until something is ready or the
// timeout passes (never, when it is negative).
//
// hot path: no allocation
func (k *kqueue) Wait(events []unix.Kevent_t, timeout time.Duration) (int, error) {
	k.turn++
	// A nil timeout blocks; a pointer to a Timespec kept in k, so that it does not escape to
	// the heap at every call, bounds the wait (zero: polls).
	var limit *unix.Timespec
	if timeout >= 0 {
		k.limit = unix.NsecToTimespec(int64(timeout))
		limit = &k.limit
	}
	n, err := unix.Kevent(k.kq, nil, events, limit)
	if err == nil || errors.Is(err, unix.EINTR) {
		return n, err
	}
	return 0, os.NewSyscallError("kevent", err)
}

// Dispatch calls cb with the token of every ready registration and reports whether the
// wake-up was among them. Entries of one descriptor that are next to each other (its read and
// write filters) are merged into one callback. Entries of a descriptor registered since the
// last Wait are dropped (see kqueue.turn); one closed and not registered again keeps the token
// it had, for the engine to recognise as gone. It stops early, without error, once stop reads
// true.
//
// hot path: no allocation
func (k *kqueue) Dispatch(
	ready []unix.Kevent_t, cb netpoll.Callback, stop *atomic.Bool,
) (woken bool, err error) {
	for i := 0; i < len(ready) && !stop.Load(); i++ {
		ev := &ready[i]
		if k.wake.owns(ev) {
			woken = true
			continue
		}
		conditions := eventFromKevent(ev)
		for i+1 < len(ready) && ready[i+1].Ident == ev.Ident && !k.wake.owns(&ready[i+1]) {
			i++
			conditions |= eventFromKevent(&ready[i])
		}
		fd := int(ev.Ident)
		if fd >= len(k.registrations) || k.registrations[fd].turn == k.turn {
			continue
		}
		if err := cb(k.registrations[fd].token, conditions); err != nil {
			return woken, err
		}
	}
	return woken, nil
}

// eventFromKevent translates one kevent into netpoll conditions. The filter says which
// readiness it is. EV_EOF on either filter means the peer shut its side (for a read filter,
// bytes sent before are still queued, which is why EventHangup asks the engine to read before
// closing); for sockets the kernel then puts the pending socket error, if any, in fflags, as
// after a reset, so a non-zero fflags with EV_EOF is an error too. EV_ERROR is kqueue's own
// per-entry error.
//
// hot path: no allocation
func eventFromKevent(ev *unix.Kevent_t) netpoll.Event {
	var conditions netpoll.Event
	switch ev.Filter {
	case unix.EVFILT_READ:
		conditions = netpoll.EventRead
	case unix.EVFILT_WRITE:
		conditions = netpoll.EventWrite
	}
	if ev.Flags&unix.EV_EOF != 0 {
		conditions |= netpoll.EventHangup
		if ev.Fflags != 0 {
			conditions |= netpoll.EventError
		}
	}
	if ev.Flags&unix.EV_ERROR != 0 {
		conditions |= netpoll.EventError
	}
	return conditions
}

// CloseDescriptors closes the wake-up source and the kqueue.
func (k *kqueue) CloseDescriptors() error {
	return errors.Join(k.wake.close(), closeDescriptor(k.kq))
}

// closeDescriptor closes fd, reporting a failure as the close system call's.
func closeDescriptor(fd int) error {
	if err := unix.Close(fd); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
