//go:build linux

package poller

import (
	"errors"
	"os"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// Polling waits for readiness and calls cb once for every ready descriptor, then runs queued
// tasks, until Close is called (it then returns netpoll.ErrPollerClosed) or cb or a task
// returns an error (it then returns that error). Only one goroutine may run it at a time;
// another call meanwhile returns ErrAlreadyPolling. Tasks still queued when it returns are
// dropped without running.
//
// Each iteration handles, in order: the ready descriptors, the wake-up, every urgent task,
// then at most TaskBudget normal tasks. I/O comes first so that a flood of tasks cannot delay
// it by more than one budget.
func (p *Poller) Polling(cb netpoll.Callback) error {
	if err := p.beginPolling(); err != nil {
		return err
	}
	err := p.pollUntilStopped(cb)
	p.dropQueuedTasks()
	if closeErr := p.endPolling(); closeErr != nil {
		return errors.Join(err, closeErr)
	}
	return err
}

// pollUntilStopped is the event loop proper.
//
// hot path: no allocation
func (p *Poller) pollUntilStopped(cb netpoll.Callback) error {
	timeoutMs := -1
	for !p.closed.Load() {
		n, err := p.wait(timeoutMs)
		if err != nil {
			return err
		}
		woken, err := p.dispatch(n, cb)
		if err != nil {
			return err
		}
		if woken {
			if err := p.consumeWakeup(); err != nil {
				return err
			}
		}
		tasksLeft, err := p.runTasks()
		if err != nil {
			return err
		}
		// Tasks left over by the budget have no wake-up coming for them, so the next wait
		// must only collect what is ready, not block.
		timeoutMs = -1
		if tasksLeft {
			timeoutMs = 0
		}
		p.growEventsIfFull(n)
	}
	return netpoll.ErrPollerClosed
}

// wait runs epoll_wait, retrying when a signal interrupts it (the Go runtime preempts
// goroutines with signals, so EINTR is routine, not an error).
//
// hot path: no allocation
func (p *Poller) wait(timeoutMs int) (int, error) {
	for {
		p.waits.Add(1)
		n, err := unix.EpollWait(p.epfd, p.events, timeoutMs)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, unix.EINTR) {
			return 0, os.NewSyscallError("epoll_wait", err)
		}
	}
}

// dispatch calls cb for the first n events and reports whether the eventfd was among them.
// It stops early, without error, once Close has been called.
//
// hot path: no allocation
func (p *Poller) dispatch(n int, cb netpoll.Callback) (woken bool, err error) {
	for i := 0; i < n && !p.closed.Load(); i++ {
		ev := &p.events[i]
		fd := int(ev.Fd)
		if fd == p.wakefd {
			woken = true
			continue
		}
		if err := cb(fd, eventFromEpoll(ev.Events)); err != nil {
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

// growEventsIfFull doubles the event array, up to maxEvents, when a wait filled it: more
// descriptors may have been ready than one wait could return. Growth allocates once per
// doubling; the array is otherwise reused by every wait.
func (p *Poller) growEventsIfFull(n int) {
	if n < len(p.events) || len(p.events) >= p.maxEvents {
		return
	}
	p.events = make([]unix.EpollEvent, min(2*len(p.events), p.maxEvents))
}
