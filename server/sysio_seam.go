package server

import (
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// The engine's side of the system-call fault seam (package sysfault). Every system call a
// connection makes asks sysfault.Check first, under `if sysfault.Enabled`: in a normal build
// that is a constant false, the compiler drops the question, and the calls compile to what
// they were without the seam (readFD, writev and acceptConn to the same instructions). Built
// with the gnetfaults tag, an injected errno fails the call without reaching the kernel (close
// is the exception: the descriptor is closed, then the errno reported, as Linux reports EINTR
// and EIO), and a short transfer makes the real call with its buffer cut. The pollers' control
// and wait go through the same seam inside api/netpoll. A dialed datagram connection's write
// asks it for an errno (a datagram is never sent short); a datagram server's batched receives
// and sends do not pass it yet.

// injectedErr asks the seam about a call that transfers no bytes and returns the errno it
// draws, or nil.
func injectedErr(op sysfault.Op, fd int) error {
	if f := sysfault.Check(sysfault.Call{Op: op, FD: fd}); f.Errno != 0 {
		return f.Errno
	}
	return nil
}

// injectedWrite asks the seam about a write of iovs to fd: the errno to fail it with, or the
// iovs to write, cut short when the seam says so. An injected EINTR is left to the caller's
// retry. Used by gnetfaults builds only.
func injectedWrite(fd int, iovs [][]byte) ([][]byte, error) {
	f := sysfault.Check(sysfault.Call{Op: sysfault.OpWrite, FD: fd, Len: iovsLen(iovs)})
	if f.Errno != 0 && f.Errno != unix.EINTR {
		return iovs, f.Errno
	}
	if f.Short > 0 {
		iovs = cutIovs(iovs, f.Limit(iovsLen(iovs)))
	}
	return iovs, nil
}

// injectedRead asks the seam about a read into buf from fd: the errno to fail it with, or buf
// cut short when the seam says so. An injected EINTR is left to the caller's retry. Used by
// gnetfaults builds only.
func injectedRead(fd int, buf []byte) ([]byte, error) {
	f := sysfault.Check(sysfault.Call{Op: sysfault.OpRead, FD: fd, Len: len(buf)})
	if f.Errno != 0 && f.Errno != unix.EINTR {
		return buf, f.Errno
	}
	return buf[:f.Limit(len(buf))], nil
}

// cutIovs returns iovs cut to at most limit bytes in all, in a new outer slice (the caller's
// is the outbound buffer's view and must stay whole). Used by gnetfaults builds only.
func cutIovs(iovs [][]byte, limit int) [][]byte {
	cut := make([][]byte, 0, len(iovs))
	for _, b := range iovs {
		if limit <= 0 {
			break
		}
		if len(b) > limit {
			b = b[:limit]
		}
		cut = append(cut, b)
		limit -= len(b)
	}
	return cut
}

// iovsLen is the number of bytes in iovs.
func iovsLen(iovs [][]byte) int {
	n := 0
	for _, b := range iovs {
		n += len(b)
	}
	return n
}

// shutdownWriteFD sends our end of stream on a connection's descriptor.
func shutdownWriteFD(fd int) error {
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpShutdown, fd); err != nil {
			return err
		}
	}
	return unix.Shutdown(fd, unix.SHUT_WR)
}

// closeConnFD closes a connection's descriptor. The descriptor is released whatever the
// error: Linux frees it before reporting EINTR or EIO, so retrying could close a descriptor
// another goroutine has just been given.
func closeConnFD(fd int) error {
	err := unix.Close(fd)
	if sysfault.Enabled && err == nil {
		err = injectedErr(sysfault.OpClose, fd)
	}
	return err
}

// setConnSockopt sets an integer socket option on a connection's descriptor.
func setConnSockopt(fd, level, opt, value int) error {
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpSetsockopt, fd); err != nil {
			return err
		}
	}
	return unix.SetsockoptInt(fd, level, opt, value)
}

// pollNow asks poll(2), without waiting, about fds; fd names the descriptor for the seam.
func pollNow(fds []unix.PollFd) (int, error) {
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpPoll, int(fds[0].Fd)); err != nil {
			return -1, err
		}
	}
	return unix.Poll(fds, 0)
}
