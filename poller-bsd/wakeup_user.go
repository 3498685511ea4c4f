//go:build darwin || dragonfly || freebsd

package poller

import (
	"os"

	"golang.org/x/sys/unix"
)

// wakeup is an EVFILT_USER event, ident 0, registered with EV_CLEAR: NOTE_TRIGGER makes it
// ready, and the kernel resets it when kevent returns it, so it needs no descriptor of its
// own and no read to consume it.
type wakeup struct {
	// trigger is the change that fires the event; it is only ever read, so producers pass it
	// to kevent concurrently.
	trigger [1]unix.Kevent_t
}

// wakeupIdent is the ident of the user event; it does not clash with descriptor 0, because a
// kevent is identified by ident and filter together.
const wakeupIdent = 0

// openWakeup registers the user event with kq.
func openWakeup(kq int) (wakeup, error) {
	var register [1]unix.Kevent_t
	unix.SetKevent(&register[0], wakeupIdent, unix.EVFILT_USER, unix.EV_ADD|unix.EV_CLEAR)
	if _, err := unix.Kevent(kq, register[:], nil, nil); err != nil {
		return wakeup{}, os.NewSyscallError("kevent", err)
	}
	var w wakeup
	unix.SetKevent(&w.trigger[0], wakeupIdent, unix.EVFILT_USER, 0)
	w.trigger[0].Fflags = unix.NOTE_TRIGGER
	return w, nil
}

// signal fires the user event.
//
// hot path: no allocation
func (w *wakeup) signal(kq int) error {
	if _, err := unix.Kevent(kq, w.trigger[:], nil, nil); err != nil {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

// owns reports whether ev is the user event.
//
// hot path: no allocation
func (w *wakeup) owns(ev *unix.Kevent_t) bool {
	return ev.Filter == unix.EVFILT_USER && ev.Ident == wakeupIdent
}

// reset has nothing to do: EV_CLEAR made the kernel reset the event when kevent returned it,
// which happened before Core clears its wake-pending flag, the order Core requires.
func (w *wakeup) reset() error { return nil }

// close has nothing to release: the user event lives in the kqueue and goes with it.
func (w *wakeup) close() error { return nil }
