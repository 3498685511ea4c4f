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

// Control sets fd's read and write filters, with the poller's trigger mode, in one kevent
// call. Adding and modifying are the same change here, see filterOn.
func (k *kqueue) Control(op netpoll.Op, fd int, interest netpoll.Event) error {
	readFlags, writeFlags := unix.EV_DELETE, unix.EV_DELETE
	if op != netpoll.OpDelete {
		readFlags = filterFlags(interest.Has(netpoll.EventRead)) | k.triggerMode
		writeFlags = filterFlags(interest.Has(netpoll.EventWrite)) | k.triggerMode
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
