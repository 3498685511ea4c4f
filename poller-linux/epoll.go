//go:build linux

package poller

import (
	"errors"
	"os"
	"sync/atomic"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// epoll is the netpoll.Kernel of this backend: an epoll instance and the eventfd that wakes
// it. openEpoll sets its fields; netpoll.Core then calls its methods under the rules of
// netpoll.Kernel.
type epoll struct {
	epfd        int
	wakefd      int
	triggerMode uint32  // EPOLLET or 0, added to every interest mask
	wakeDrain   [8]byte // owned by the event loop
}

// openEpoll creates the epoll instance and the eventfd and registers the eventfd.
func openEpoll(opts netpoll.Options) (netpoll.Kernel[unix.EpollEvent], error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		// The eventfd error is the one worth reporting; closing a descriptor nobody used
		// cannot lose data.
		_ = unix.Close(epfd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	// The eventfd stays level-triggered whatever opts says: the loop reads it to zero at
	// every wake-up, so level and edge behave alike, and level cannot lose a wake-up that
	// arrives between the read and the next wait.
	wakeInterest := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakefd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &wakeInterest); err != nil {
		// As above: report the registration failure; the descriptors were never used.
		_ = unix.Close(wakefd)
		_ = unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	k := &epoll{epfd: epfd, wakefd: wakefd}
	if opts.EdgeTriggered {
		k.triggerMode = unix.EPOLLET
	}
	return k, nil
}

// Wait runs epoll_wait, blocking until something is ready when block is set.
//
// hot path: no allocation
func (k *epoll) Wait(events []unix.EpollEvent, block bool) (int, error) {
	timeoutMs := 0
	if block {
		timeoutMs = -1
	}
	n, err := unix.EpollWait(k.epfd, events, timeoutMs)
	if err == nil || errors.Is(err, unix.EINTR) {
		return n, err
	}
	return 0, os.NewSyscallError("epoll_wait", err)
}

// Dispatch calls cb for every ready descriptor and reports whether the eventfd was among
// them. It stops early, without error, once stop reads true.
//
// hot path: no allocation
func (k *epoll) Dispatch(
	ready []unix.EpollEvent, cb netpoll.Callback, stop *atomic.Bool,
) (woken bool, err error) {
	for i := 0; i < len(ready) && !stop.Load(); i++ {
		fd := int(ready[i].Fd)
		if fd == k.wakefd {
			woken = true
			continue
		}
		if err := cb(fd, eventFromEpoll(ready[i].Events)); err != nil {
			return woken, err
		}
	}
	return woken, nil
}

// eventFromEpoll translates epoll bits into netpoll conditions. All bits are passed on
// together in one callback, so the engine decides the order in which it acts on them. The
// kernel sets EPOLLIN together with EPOLLRDHUP when the peer shuts down its write side (a
// read would return end of file), and with EPOLLHUP once both directions are shut; bytes
// that arrived before are still queued, which is why EventHangup asks the engine to read
// before closing.
//
// hot path: no allocation
func eventFromEpoll(bits uint32) netpoll.Event {
	var ev netpoll.Event
	if bits&unix.EPOLLIN != 0 {
		ev |= netpoll.EventRead
	}
	if bits&unix.EPOLLOUT != 0 {
		ev |= netpoll.EventWrite
	}
	if bits&(unix.EPOLLHUP|unix.EPOLLRDHUP) != 0 {
		ev |= netpoll.EventHangup
	}
	if bits&unix.EPOLLERR != 0 {
		ev |= netpoll.EventError
	}
	return ev
}

// CloseDescriptors closes the eventfd and the epoll instance.
func (k *epoll) CloseDescriptors() error {
	return errors.Join(closeDescriptor(k.wakefd), closeDescriptor(k.epfd))
}

// closeDescriptor closes fd, reporting a failure as the close system call's.
func closeDescriptor(fd int) error {
	if err := unix.Close(fd); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
