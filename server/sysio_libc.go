//go:build darwin || openbsd

package server

import "golang.org/x/sys/unix"

// writev writes iovs to fd with one writev(2). Darwin and OpenBSD only allow system calls
// through libc, so this goes through golang.org/x/sys's wrapper; scratch is unused.
func writev(fd int, iovs [][]byte, _ *[]unix.Iovec) (int, error) {
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
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EINTR {
			continue
		}
		return n, err
	}
}
