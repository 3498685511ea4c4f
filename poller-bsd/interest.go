//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"os"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// kqueue keeps read and write readiness as two filters of one descriptor. Every Add
// registers both, the unwanted one disabled, and every Mod enables or disables them: EV_ADD
// on an existing filter modifies it, so interest changes never depend on which filters exist,
// and Delete can remove both without meeting ENOENT.
const (
	filterOn  = unix.EV_ADD | unix.EV_ENABLE
	filterOff = unix.EV_ADD | unix.EV_DISABLE
)

// AddRead registers fd for read readiness. Call it from the event loop's goroutine, or from
// one goroutine before Polling starts. After Close it returns netpoll.ErrPollerClosed.
func (p *Poller) AddRead(fd int) error { return p.control(fd, filterOn, filterOff) }

// AddReadWrite registers fd for read and write readiness. Same callers and errors as AddRead.
func (p *Poller) AddReadWrite(fd int) error { return p.control(fd, filterOn, filterOn) }

// AddWrite registers fd for write readiness only, as for a connecting socket. Same callers
// and errors as AddRead.
func (p *Poller) AddWrite(fd int) error { return p.control(fd, filterOff, filterOn) }

// ModRead changes fd's interest to read readiness only. Same callers and errors as AddRead.
func (p *Poller) ModRead(fd int) error { return p.control(fd, filterOn, filterOff) }

// ModReadWrite changes fd's interest to read and write readiness. Same callers and errors as
// AddRead.
func (p *Poller) ModReadWrite(fd int) error { return p.control(fd, filterOn, filterOn) }

// ModWrite changes fd's interest to write readiness only. Same callers and errors as AddRead.
func (p *Poller) ModWrite(fd int) error { return p.control(fd, filterOff, filterOn) }

// Delete removes both of fd's filters; close fd only afterwards. Same callers and errors as
// AddRead.
func (p *Poller) Delete(fd int) error {
	return p.changeFilters(fd, unix.EV_DELETE, unix.EV_DELETE)
}

// control sets fd's read and write filters with the poller's trigger mode.
func (p *Poller) control(fd, readFlags, writeFlags int) error {
	return p.changeFilters(fd, readFlags|p.triggerMode, writeFlags|p.triggerMode)
}

// changeFilters applies both filter changes in one kevent call.
func (p *Poller) changeFilters(fd, readFlags, writeFlags int) error {
	if !p.borrowDescriptors() {
		return netpoll.ErrPollerClosed
	}
	var changes [2]unix.Kevent_t
	unix.SetKevent(&changes[0], fd, unix.EVFILT_READ, readFlags)
	unix.SetKevent(&changes[1], fd, unix.EVFILT_WRITE, writeFlags)
	// With no room for events, kevent reports a failed change as its own error.
	_, err := unix.Kevent(p.kq, changes[:], nil, nil)
	p.returnDescriptors()
	if err != nil {
		return os.NewSyscallError("kevent", err)
	}
	return nil
}
