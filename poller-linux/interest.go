//go:build linux

package poller

import (
	"os"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

const (
	// readInterest carries EPOLLRDHUP so that a peer's shutdown(SHUT_WR) is reported as
	// EventHangup: without it the kernel reports only EPOLLIN, and a half-closed connection
	// looks like one with data. EPOLLERR and EPOLLHUP need no bit: the kernel always reports
	// them.
	readInterest      = unix.EPOLLIN | unix.EPOLLRDHUP
	writeInterest     = unix.EPOLLOUT
	readWriteInterest = readInterest | writeInterest
)

// AddRead registers fd for read readiness and half-close. Call it from the event loop's
// goroutine, or from one goroutine before Polling starts. After Close it returns
// netpoll.ErrPollerClosed.
func (p *Poller) AddRead(fd int) error {
	return p.control(unix.EPOLL_CTL_ADD, fd, readInterest)
}

// AddReadWrite registers fd for read and write readiness. Same callers and errors as AddRead.
func (p *Poller) AddReadWrite(fd int) error {
	return p.control(unix.EPOLL_CTL_ADD, fd, readWriteInterest)
}

// AddWrite registers fd for write readiness only, as for a connecting socket. Same callers
// and errors as AddRead.
func (p *Poller) AddWrite(fd int) error {
	return p.control(unix.EPOLL_CTL_ADD, fd, writeInterest)
}

// ModRead changes fd's interest to read readiness only. Same callers and errors as AddRead.
func (p *Poller) ModRead(fd int) error {
	return p.control(unix.EPOLL_CTL_MOD, fd, readInterest)
}

// ModReadWrite changes fd's interest to read and write readiness. Same callers and errors as
// AddRead.
func (p *Poller) ModReadWrite(fd int) error {
	return p.control(unix.EPOLL_CTL_MOD, fd, readWriteInterest)
}

// ModWrite changes fd's interest to write readiness only. Same callers and errors as AddRead.
func (p *Poller) ModWrite(fd int) error {
	return p.control(unix.EPOLL_CTL_MOD, fd, writeInterest)
}

// Delete removes fd from the poller; close fd only afterwards, since epoll tracks the open
// file, not the number, and a duplicated descriptor would keep reporting. Same callers and
// errors as AddRead.
func (p *Poller) Delete(fd int) error {
	return p.control(unix.EPOLL_CTL_DEL, fd, 0)
}

// control applies one epoll_ctl operation with the poller's trigger mode.
func (p *Poller) control(op, fd int, interest uint32) error {
	if !p.borrowDescriptors() {
		return netpoll.ErrPollerClosed
	}
	// Kernels before 2.6.9 required a non-nil event even for EPOLL_CTL_DEL; passing one
	// always costs nothing.
	ev := unix.EpollEvent{Events: interest | p.triggerMode, Fd: int32(fd)}
	err := unix.EpollCtl(p.epfd, op, fd, &ev)
	p.returnDescriptors()
	if err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}
