//go:build linux || freebsd || netbsd || dragonfly

package server

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// writev writes iovs to fd with one writev(2), reusing *scratch for the iovec array so that
// no call allocates. It returns the bytes written.
func writev(fd int, iovs [][]byte, scratch *[]unix.Iovec) (int, error) {
	// hot path: no allocation
	vecs := (*scratch)[:0]
	for _, b := range iovs {
		if len(b) == 0 {
			continue
		}
		v := unix.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		vecs = append(vecs, v)
	}
	*scratch = vecs
	if len(vecs) == 0 {
		return 0, nil
	}
	for {
		n, _, errno := unix.Syscall(unix.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&vecs[0])), uintptr(len(vecs)))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return 0, errno
		}
		return int(n), nil
	}
}
