//go:build linux

package poller

import (
	"os"
	"unsafe"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// readInterest carries EPOLLRDHUP so that a peer's shutdown(SHUT_WR) is reported as
// EventHangup: without it the kernel reports only EPOLLIN, and a half-closed connection looks
// like one with data. EPOLLERR and EPOLLHUP need no bit: the kernel always reports them.
const (
	readInterest  = unix.EPOLLIN | unix.EPOLLRDHUP
	writeInterest = unix.EPOLLOUT
)

// epollOps maps each registration change to its epoll_ctl operation.
var epollOps = [...]int{
	netpoll.OpAdd:    unix.EPOLL_CTL_ADD,
	netpoll.OpModify: unix.EPOLL_CTL_MOD,
	netpoll.OpDelete: unix.EPOLL_CTL_DEL,
}

// Control applies one epoll_ctl operation, level-triggered, with the token in the event's
// data. epoll tracks the open file, not the descriptor number: a registration ends with the
// close of the file's last descriptor, and a duplicated descriptor keeps it reporting, with its
// old token, until then.
func (k *epoll) Control(op netpoll.Op, fd int, token netpoll.Token, interest netpoll.Event) error {
	var mask uint32
	if interest.Has(netpoll.EventRead) {
		mask |= readInterest
	}
	if interest.Has(netpoll.EventWrite) {
		mask |= writeInterest
	}
	// Kernels before 2.6.9 required a non-nil event even for EPOLL_CTL_DEL; passing one
	// always costs nothing.
	ev := unix.EpollEvent{Events: mask}
	setToken(&ev, token)
	// epoll_ctl never blocks, so it is made as a raw system call, without telling the
	// scheduler: a connection's registration and its changes of interest skip the runtime's
	// bookkeeping around a call that may block.
	_, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_CTL, uintptr(k.epfd), uintptr(epollOps[op]),
		uintptr(fd), uintptr(unsafe.Pointer(&ev)), 0, 0)
	if errno != 0 {
		return os.NewSyscallError("epoll_ctl", errno)
	}
	return nil
}
