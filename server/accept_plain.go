//go:build darwin || netbsd || openbsd

package server

import (
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// acceptConn accepts one pending connection and makes it non-blocking and close-on-exec. These
// systems have no accept4 in golang.org/x/sys, so the flags are set after the fact while
// holding syscall.ForkLock.
func acceptConn(fd int) (int, unix.Sockaddr, error) {
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpAccept, fd); err != nil {
			return -1, nil, err
		}
	}
	syscall.ForkLock.RLock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, nil, err
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		_ = unix.Close(nfd) // the SetNonblock error is the one worth reporting
		return -1, nil, err
	}
	return nfd, sa, nil
}
