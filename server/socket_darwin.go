//go:build darwin

package server

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// sysSocket opens a non-blocking, close-on-exec socket. Darwin has no SOCK_NONBLOCK or
// SOCK_CLOEXEC, so the flags are set after the fact while holding syscall.ForkLock, which keeps
// a concurrent fork from inheriting the descriptor in between.
func sysSocket(family, sotype, proto int) (int, error) {
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(family, sotype, proto)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd) // the SetNonblock error is the one worth reporting
		return -1, err
	}
	return fd, nil
}
