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
		f := sysfault.Check(sysfault.Call{Op: sysfault.OpWrite, FD: fd, Len: iovsLen(iovs)})
		if f.Errno != 0 && f.Errno != unix.EINTR { // an interrupted call is retried below
			return 0, f.Errno
		}
		if f.Short > 0 {
			iovs = cutIovs(iovs, f.Limit(iovsLen(iovs)))
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
		f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead, FD: fd, Len: len(buf)})
		if f.Errno != 0 && f.Errno != unix.EINTR { // an interrupted call is retried below
			return -1, f.Errno
		}
		buf = buf[:f.Limit(len(buf))]
	}
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}
