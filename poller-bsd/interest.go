//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"os"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// kqueue keeps read and write readiness as two filters of one descriptor. Every Add
// registers both, the unwanted one disabled, and every Modify enables or disables them: EV_ADD
// on an existing filter modifies it, so interest changes never depend on which filters exist,
// and Delete can remove both without meeting ENOENT.
const (
	filterOn  = unix.EV_ADD | unix.EV_ENABLE
	filterOff = unix.EV_ADD | unix.EV_DISABLE
)

// Control sets fd's read and write filters, level-triggered, in one kevent call, and keeps the
// registration's token. Adding and modifying are the same change to the kernel, see filterOn;
// only adding starts a new registration, whose turn Dispatch checks.
func (k *kqueue) Control(op netpoll.Op, fd int, token netpoll.Token, interest netpoll.Event) error {
	readFlags, writeFlags := unix.EV_DELETE, unix.EV_DELETE
	if op != netpoll.OpDelete {
		readFlags = filterFlags(interest.Has(netpoll.EventRead))
		writeFlags = filterFlags(interest.Has(netpoll.EventWrite))
		k.keepToken(op, fd, token)
	}
	var changes [2]unix.Kevent_t
	unix.SetKevent(&changes[0], fd, unix.EVFILT_READ, readFlags)
	unix.SetKevent(&changes[1], fd, unix.EVFILT_WRITE, writeFlags)
	// With no room for events, kevent reports a failed change as its own error.
	if _, err := unix.Kevent(k.kq, changes[:], nil, nil); err != nil {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}

// filterFlags returns the registration flags of a filter that is wanted or not.
func filterFlags(wanted bool) int {
	if wanted {
		return filterOn
	}
	return filterOff
}

// keepToken records token for fd, growing the table to the descriptor number; a new
// registration also records the turn it was made in.
func (k *kqueue) keepToken(op netpoll.Op, fd int, token netpoll.Token) {
	if fd >= len(k.registrations) {
		k.registrations = append(k.registrations, make([]registration, fd+1-len(k.registrations))...)
	}
	r := &k.registrations[fd]
	r.token = token
	if op == netpoll.OpAdd {
		r.turn = k.turn
	}
}
