//go:build linux

package poller

import (
	"errors"
	"math"
	"os"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// epoll is the netpoll.Kernel of this backend: an epoll instance and the eventfd that wakes
// it. openEpoll sets its fields; netpoll.Core then calls its methods under the rules of
// netpoll.Kernel.
type epoll struct {
	epfd      int
	wakefd    int
	wakeDrain [8]byte // owned by the event loop
	// holdWait is how long a blocking wait sleeps in the kernel keeping its processor, and
	// holdSupported whether that step runs (Options.HoldWait > 0 and the kernel has
	// epoll_pwait2). Both are owned by the event loop.
	holdWait      kernelTimespec
	hold          time.Duration
	holdSupported bool
	// holdTrap is the system call of the hold step: epoll_pwait2 (tests replace it to stand
	// for a kernel that lacks it).
	holdTrap uintptr
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
	// The eventfd is marked with the reserved token, which no registration of the engine's
	// may carry, so that Dispatch tells it apart without comparing descriptor numbers.
	wakeInterest := unix.EpollEvent{Events: unix.EPOLLIN}
	setToken(&wakeInterest, netpoll.ReservedToken)
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &wakeInterest); err != nil {
		// As above: report the registration failure; the descriptors were never used.
		_ = unix.Close(wakefd)
		_ = unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	k := &epoll{epfd: epfd, wakefd: wakefd, holdTrap: unix.SYS_EPOLL_PWAIT2}
	if opts.HoldWait > 0 {
		k.holdWait = kernelTimespec{sec: int64(opts.HoldWait / time.Second), nsec: int64(opts.HoldWait % time.Second)}
		k.hold = opts.HoldWait
		k.holdSupported = true
	}
	return k, nil
}

// Wait runs epoll_wait: at once for a zero timeout, otherwise until something is ready or the
// timeout passes (never, when it is negative). epoll_wait counts in milliseconds: a timeout is
// rounded up, so that a timer the loop waits for is never reached early.
//
// A wait that may block goes in up to three steps, each taken only when the one before found
// nothing ready. First it asks without blocking; then, when a hold is set, it sleeps in the
// kernel for at most holdWait (or the timeout, if shorter; epoll_pwait2) while keeping the
// goroutine's processor; then it yields the processor once, so that goroutines queued behind
// the loop run, and only then does it block through the scheduler's system-call path. Both early steps are raw system calls the
// scheduler does not see. A wait the scheduler sees as a system call that lasts more than a
// few tens of microseconds lets the runtime's monitor thread take the processor away (a
// hand-off between threads, futex traffic on the way back); the hold avoids that at the price
// of a kernel timer per wait, which on the virtual machines we measure on costs more than the
// hand-off, so it is off unless asked for. Holding the processor is bounded by holdWait: the
// other goroutines of that processor, and a stop-the-world, wait at most that long.
//
// hot path: no allocation
func (k *epoll) Wait(events []unix.EpollEvent, timeout time.Duration) (int, error) {
	n, err := k.pollNow(events)
	if err != nil || n > 0 || timeout == 0 {
		return n, err
	}
	if k.holdSupported && (timeout < 0 || timeout >= k.hold) {
		n, err = k.pollHeld(events)
		if err != nil || n > 0 {
			return n, err
		}
		if timeout > 0 {
			timeout -= k.hold
		}
	}
	runtime.Gosched()
	n, err = unix.EpollWait(k.epfd, events, waitMillis(timeout))
	if err == nil || errors.Is(err, unix.EINTR) {
		return n, err
	}
	return 0, os.NewSyscallError("epoll_wait", err)
}

// waitMillis is epoll_wait's timeout for d: -1 (no limit) for a negative d, otherwise d in
// milliseconds rounded up, and at most what an int32 holds.
func waitMillis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	ms := d / time.Millisecond
	if d%time.Millisecond != 0 {
		ms++
	}
	return int(min(ms, math.MaxInt32))
}

// pollNow is epoll_wait with a zero timeout as a raw system call: it never blocks, so it need
// not tell the scheduler it is in the kernel. epoll_pwait with no signal mask is epoll_wait on
// every architecture, including those without an epoll_wait call.
//
// hot path: no allocation
func (k *epoll) pollNow(events []unix.EpollEvent) (int, error) {
	r, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(k.epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	return rawWaitResult(r, errno, "epoll_pwait")
}

// kernelTimespec is the kernel's struct __kernel_timespec, which epoll_pwait2 takes: 64-bit
// seconds and nanoseconds on every architecture. unix.Timespec is the C library's timespec,
// whose fields are 32 bits wide on 32-bit architectures, where the kernel would read garbage.
type kernelTimespec struct {
	sec  int64
	nsec int64
}

// pollHeld is epoll_pwait2 with holdWait as its timeout, as a raw system call. A kernel older
// than 5.11 has no epoll_pwait2: the first ENOSYS turns the step off for good.
//
// hot path: no allocation
func (k *epoll) pollHeld(events []unix.EpollEvent) (int, error) {
	r, _, errno := unix.RawSyscall6(k.holdTrap, uintptr(k.epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)),
		uintptr(unsafe.Pointer(&k.holdWait)), 0, 0)
	if errno == unix.ENOSYS {
		k.holdSupported = false
		return 0, nil
	}
	return rawWaitResult(r, errno, "epoll_pwait2")
}

// rawWaitResult turns a raw wait's result into Wait's: EINTR unwrapped, for Core to retry.
//
// hot path: no allocation
func rawWaitResult(r uintptr, errno unix.Errno, call string) (int, error) {
	switch errno {
	case 0:
		return int(r), nil
	case unix.EINTR:
		return 0, unix.EINTR
	default:
		return 0, os.NewSyscallError(call, errno)
	}
}

// Dispatch calls cb with the token of every ready registration and reports whether the
// eventfd was among them. The token comes from the event's data, which the kernel copies from
// the registration that reported it: an event of a descriptor closed and reused since it was
// collected carries the old registration's token. It stops early, without error, once stop
// reads true.
//
// hot path: no allocation
func (k *epoll) Dispatch(
	ready []unix.EpollEvent, cb netpoll.Callback, stop *atomic.Bool,
) (woken bool, err error) {
	for i := 0; i < len(ready) && !stop.Load(); i++ {
		token := tokenOf(&ready[i])
		if token == netpoll.ReservedToken {
			woken = true
			continue
		}
		if err := cb(token, eventFromEpoll(ready[i].Events)); err != nil {
			return woken, err
		}
	}
	return woken, nil
}

// setToken stores token in an event's 64-bit data. golang.org/x/sys names the two halves of
// that union Fd and Pad on every architecture; which half is the low one does not matter, as
// tokenOf reads them back the same way and the kernel copies the union as it is.
//
// hot path: no allocation
func setToken(ev *unix.EpollEvent, token netpoll.Token) {
	ev.Fd = int32(uint32(token))
	ev.Pad = int32(uint32(token >> 32))
}

// tokenOf reads the token setToken stored.
//
// hot path: no allocation
func tokenOf(ev *unix.EpollEvent) netpoll.Token {
	return netpoll.Token(uint32(ev.Fd)) | netpoll.Token(uint32(ev.Pad))<<32
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
