//go:build linux || freebsd || netbsd || dragonfly

package server

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// writev writes iovs to fd with one writev(2), reusing *scratch for the iovec array so that
// no call allocates. It returns the bytes written.
//
// The descriptor is non-blocking, so the call returns at once; it is made as a raw system call,
// without telling the scheduler that the goroutine may block, which saves the runtime's
// bookkeeping on every write.
func writev(fd int, iovs [][]byte, scratch *[]unix.Iovec) (int, error) {
	// hot path: no allocation
	if sysfault.Enabled {
		var err error
		if iovs, err = injectedWrite(fd, iovs); err != nil {
			return 0, err
		}
	}
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
	trap, arg, count := uintptr(unix.SYS_WRITEV), uintptr(unsafe.Pointer(&vecs[0])), uintptr(len(vecs))
	if len(vecs) == 1 {
		// One chunk, the usual case for replies: write(2) skips copying in the iovec array.
		trap, arg, count = unix.SYS_WRITE, uintptr(unsafe.Pointer(vecs[0].Base)), uintptr(vecs[0].Len)
	}
	for {
		n, _, errno := unix.RawSyscall(trap, uintptr(fd), arg, count)
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return 0, errno
		}
		return int(n), nil
	}
}

// readFD reads from the non-blocking fd into buf with one read(2), as a raw system call for
// the same reason as writev.
func readFD(fd int, buf []byte) (int, error) {
	// hot path: no allocation
	if len(buf) == 0 {
		return 0, nil
	}
	if sysfault.Enabled {
		var err error
		if buf, err = injectedRead(fd, buf); err != nil {
			return -1, err
		}
	}
	for {
		n, _, errno := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return -1, errno
		}
		return int(n), nil
	}
}
