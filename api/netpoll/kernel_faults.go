package netpoll

import (
	"os"
	"syscall"
	"time"

	"github.com/gnetio/gnet/api/sysfault"
)

// faultKernel is the Kernel that NewCore drives in a build with the gnetfaults tag: it asks
// the seam (package sysfault) before every registration change and every wait, so that a test
// makes either backend's epoll_ctl or kevent refuse a change, or its wait be interrupted,
// without a line of backend code. A normal build never wraps a kernel (sysfault.Enabled is a
// constant false there) and keeps calling the backend's directly.
type faultKernel[E any] struct {
	Kernel[E]
}

// Control fails with the drawn errno, wrapped as the backends wrap theirs, without reaching
// the kernel.
func (k faultKernel[E]) Control(op Op, fd int, token Token, interest Event) error {
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpControl, FD: fd}); f.Errno != 0 {
		return os.NewSyscallError("poller control", f.Errno)
	}
	return k.Kernel.Control(op, fd, token, interest)
}

// Wait fails with the drawn errno without waiting: EINTR unwrapped, as the contract has the
// backends report it, anything else wrapped (and it stops Polling, as a real one would).
func (k faultKernel[E]) Wait(events []E, timeout time.Duration) (int, error) {
	if f := sysfault.Check(sysfault.Call{Op: sysfault.OpWait, FD: -1}); f.Errno != 0 {
		if f.Errno == syscall.EINTR {
			return 0, syscall.EINTR
		}
		return 0, os.NewSyscallError("poller wait", f.Errno)
	}
	return k.Kernel.Wait(events, timeout)
}
