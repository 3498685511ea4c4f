//go:build netbsd || openbsd

package poller

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// wakeup is a non-blocking pipe whose read end is registered for EVFILT_READ, level-
// triggered. golang.org/x/sys/unix defines no EVFILT_USER or NOTE_TRIGGER for NetBSD and
// OpenBSD, so these two systems signal with a byte written to the pipe instead. Coalescing in
// Trigger keeps the pipe to about one byte, so it never fills in practice; if it did, the
// write's EAGAIN would mean a wake-up is pending anyway.
type wakeup struct {
	readFD, writeFD int
	drainBuf        [64]byte // owned by the event loop
}

// wakeupByte is what signal writes; its value is never looked at.
var wakeupByte = [1]byte{1}

// openWakeup creates the pipe, both ends non-blocking and close-on-exec, and registers its
// read end with kq.
func openWakeup(kq int) (wakeup, error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		return wakeup{}, os.NewSyscallError("pipe2", err)
	}
	w := wakeup{readFD: fds[0], writeFD: fds[1]}
	var register [1]unix.Kevent_t
	unix.SetKevent(&register[0], w.readFD, unix.EVFILT_READ, unix.EV_ADD)
	if _, err := unix.Kevent(kq, register[:], nil, nil); err != nil {
		// The registration error is the one worth reporting; the pipe was never used.
		_ = w.close()
		return wakeup{}, os.NewSyscallError("kevent", err)
	}
	return w, nil
}

// signal writes one byte to the pipe.
//
// hot path: no allocation
func (w *wakeup) signal(int) error {
	_, err := unix.Write(w.writeFD, wakeupByte[:])
	if errors.Is(err, unix.EAGAIN) {
		// The pipe is full, so its read end is ready: the wake-up is pending already.
		return nil
	}
	if err != nil {
		return os.NewSyscallError("write", err)
	}
	return nil
}

// owns reports whether ev is the pipe's read end.
//
// hot path: no allocation
func (w *wakeup) owns(ev *unix.Kevent_t) bool {
	return ev.Filter == unix.EVFILT_READ && int(ev.Ident) == w.readFD
}

// reset empties the pipe, so that the level-triggered filter stops reporting it.
//
// hot path: no allocation
func (w *wakeup) reset() error {
	for {
		n, err := unix.Read(w.readFD, w.drainBuf[:])
		if errors.Is(err, unix.EAGAIN) || (err == nil && n < len(w.drainBuf)) {
			return nil
		}
		if err != nil {
			return os.NewSyscallError("read", err)
		}
	}
}

// close closes both ends of the pipe.
func (w *wakeup) close() error {
	return errors.Join(closeDescriptor(w.readFD), closeDescriptor(w.writeFD))
}
