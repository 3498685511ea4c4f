//go:build darwin || openbsd

package server

import (
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// writev writes iovs to fd with one writev(2). Darwin and OpenBSD only allow system calls
// through libc, so this goes through golang.org/x/sys's wrapper; scratch is unused.
func writev(fd int, iovs [][]byte, _ *[]unix.Iovec) (int, error) {
	if sysfault.Enabled {
		var err error
		if iovs, err = injectedWrite(fd, iovs); err != nil {
			return 0, err
		}
	}
	for {
		n, err := unix.Writev(fd, iovs)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}

// readFD reads from fd into buf with one read(2).
func readFD(fd int, buf []byte) (int, error) {
	if sysfault.Enabled {
		var err error
		if buf, err = injectedRead(fd, buf); err != nil {
			return -1, err
		}
	}
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}
