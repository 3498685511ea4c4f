//go:build freebsd || dragonfly

package server

import (
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// acceptConn accepts one pending connection as a non-blocking, close-on-exec socket in one
// system call.
func acceptConn(fd int) (int, unix.Sockaddr, error) {
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpAccept, fd); err != nil {
			return -1, nil, err
		}
	}
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
