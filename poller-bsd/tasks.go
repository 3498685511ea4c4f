//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import "github.com/gnetio/gnet/api/netpoll"

// task is one queued Trigger call, stored by value in the queue so that queuing it allocates
// nothing beyond the queue's pooled node.
type task struct {
	fn  netpoll.TaskFunc
	arg any
}

// Trigger queues fn(arg) to run on the event loop and wakes the loop unless a wake-up is
// already pending. It may be called from any goroutine, including the event loop itself.
// After Close it returns netpoll.ErrPollerClosed and fn never runs; a Trigger that races with
// Close may return nil and still see its task dropped, as Polling drops queued tasks when it
// stops. It returns ErrNilTask for a nil fn.
//
// hot path: no allocation
func (p *Poller) Trigger(pri netpoll.Priority, fn netpoll.TaskFunc, arg any) error {
	if fn == nil {
		return ErrNilTask
	}
	if p.closed.Load() {
		return netpoll.ErrPollerClosed
	}
	if pri == netpoll.PriorityUrgent {
		p.urgent.Enqueue(task{fn: fn, arg: arg})
	} else {
		p.normal.Enqueue(task{fn: fn, arg: arg})
	}
	p.triggers.Add(1)
	// The task is fully linked before the flag is looked at. If the flag is 1, the loop has
	// yet to consume that wake-up and clears the flag only before its next drain, which then
	// sees this task; so only the trigger that moves the flag from 0 to 1 writes. Loading
	// first keeps the cache line shared while a wake-up is pending.
	if p.wakePending.Load() != 0 || !p.wakePending.CompareAndSwap(0, 1) {
		return nil
	}
	return p.sendClaimedWakeup()
}

// sendClaimedWakeup sends the wake-up that this trigger won the right to send.
func (p *Poller) sendClaimedWakeup() error {
	if !p.borrowDescriptors() {
		// Close has begun: it wakes the loop itself, and queued tasks are dropped.
		return nil
	}
	err := p.signalWakeup()
	p.returnDescriptors()
	if err != nil {
		// Let the next trigger try again rather than leave the flag claiming a wake-up that
		// never reached the kernel.
		p.wakePending.Store(0)
	}
	return err
}

// runTasks runs every urgent task queued when it starts, then up to taskBudget normal ones,
// and reports whether tasks are left for the next iteration. It stops at the first task that
// returns an error, and runs nothing once Close has been called.
//
// Urgent tasks are bounded by the count at entry so that an urgent task that re-triggers
// itself cannot keep the loop from returning to I/O; its successor runs next iteration.
//
// hot path: no allocation
func (p *Poller) runTasks() (tasksLeft bool, err error) {
	var ran uint64
	for n := p.urgent.Len(); n > 0 && !p.closed.Load(); n-- {
		t, ok := p.urgent.Dequeue()
		if !ok {
			break
		}
		ran++
		if err = t.fn(t.arg); err != nil {
			p.tasksRun.Add(ran)
			return false, err
		}
	}
	for budget := p.taskBudget; budget > 0 && !p.closed.Load(); budget-- {
		t, ok := p.normal.Dequeue()
		if !ok {
			break
		}
		ran++
		if err = t.fn(t.arg); err != nil {
			p.tasksRun.Add(ran)
			return false, err
		}
	}
	p.tasksRun.Add(ran)
	return !p.urgent.IsEmpty() || !p.normal.IsEmpty(), nil
}

// dropQueuedTasks discards the tasks queued when Polling stops, so that their arguments are
// not kept alive and a later Polling does not run work its caller gave up on. It is bounded
// by the counts at entry: producers may still be queuing when Polling stopped on an error.
func (p *Poller) dropQueuedTasks() {
	for n := p.urgent.Len(); n > 0; n-- {
		if _, ok := p.urgent.Dequeue(); !ok {
			break
		}
	}
	for n := p.normal.Len(); n > 0; n-- {
		if _, ok := p.normal.Dequeue(); !ok {
			break
		}
	}
}
