//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"errors"
	"os"

	"github.com/gnetio/gnet/api/netpoll"
	"golang.org/x/sys/unix"
)

// Polling waits for readiness and calls cb for every ready descriptor, then runs queued
// tasks, until Close is called (it then returns netpoll.ErrPollerClosed) or cb or a task
// returns an error (it then returns that error). Only one goroutine may run it at a time;
// another call meanwhile returns ErrAlreadyPolling. Tasks still queued when it returns are
// dropped without running.
//
// kqueue reports read and write readiness of one descriptor as two entries. Entries of the
// same descriptor that the kernel returns next to each other are merged into one callback;
// otherwise a descriptor can get two callbacks in one iteration, one per condition.
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
	block := true
	for !p.closed.Load() {
		n, err := p.wait(block)
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
		block = !tasksLeft
		p.growEventsIfFull(n)
	}
	return netpoll.ErrPollerClosed
}

// wait runs kevent, retrying when a signal interrupts it (the Go runtime preempts goroutines
// with signals, so EINTR is routine, not an error).
//
// hot path: no allocation
func (p *Poller) wait(block bool) (int, error) {
	timeout := &p.noWait
	if block {
		timeout = nil
	}
	for {
		p.waits.Add(1)
		n, err := unix.Kevent(p.kq, nil, p.events, timeout)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, unix.EINTR) {
			return 0, os.NewSyscallError("kevent", err)
		}
	}
}

// dispatch calls cb for the first n events and reports whether the wake-up was among them.
// It stops early, without error, once Close has been called.
//
// hot path: no allocation
func (p *Poller) dispatch(n int, cb netpoll.Callback) (woken bool, err error) {
	for i := 0; i < n && !p.closed.Load(); i++ {
		ev := &p.events[i]
		if p.wake.owns(ev) {
			woken = true
			continue
		}
		conditions := eventFromKevent(ev)
		for i+1 < n && p.events[i+1].Ident == ev.Ident && !p.wake.owns(&p.events[i+1]) {
			i++
			conditions |= eventFromKevent(&p.events[i])
		}
		if err := cb(int(ev.Ident), conditions); err != nil {
			return woken, err
		}
	}
	return woken, nil
}

// eventFromKevent translates one kevent into netpoll conditions. The filter says which
// readiness it is. EV_EOF on either filter means the peer shut its side (for a read filter,
// bytes sent before are still queued, which is why EventHangup asks the engine to read before
// closing); for sockets the kernel then puts the pending socket error, if any, in fflags, as
// after a reset, so a non-zero fflags with EV_EOF is an error too. EV_ERROR is kqueue's own
// per-entry error.
//
// hot path: no allocation
func eventFromKevent(ev *unix.Kevent_t) netpoll.Event {
	var conditions netpoll.Event
	switch ev.Filter {
	case unix.EVFILT_READ:
		conditions = netpoll.EventRead
	case unix.EVFILT_WRITE:
		conditions = netpoll.EventWrite
	}
	if ev.Flags&unix.EV_EOF != 0 {
		conditions |= netpoll.EventHangup
		if ev.Fflags != 0 {
			conditions |= netpoll.EventError
		}
	}
	if ev.Flags&unix.EV_ERROR != 0 {
		conditions |= netpoll.EventError
	}
	return conditions
}

// growEventsIfFull doubles the event array, up to maxEvents, when a wait filled it: more
// filters may have been ready than one wait could return. Growth allocates once per
// doubling; the array is otherwise reused by every wait.
func (p *Poller) growEventsIfFull(n int) {
	if n < len(p.events) || len(p.events) >= p.maxEvents {
		return
	}
	p.events = make([]unix.Kevent_t, min(2*len(p.events), p.maxEvents))
}
