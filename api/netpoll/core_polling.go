package netpoll

import (
	"errors"
	"syscall"
	"time"
)

// Polling waits for readiness and calls cb for every ready registration, then runs queued
// tasks, then calls turnEnd when it is not nil, until Close is called (it then returns
// ErrPollerClosed) or cb, a task or turnEnd returns an error (it then returns that error).
// Only one goroutine may run it at a time; another call meanwhile returns ErrAlreadyPolling.
// Tasks still queued when it returns are dropped without running.
//
// Each turn handles, in order: the ready descriptors, the wake-up, every urgent task, then at
// most TaskBudget normal tasks, then turnEnd. I/O comes first so that a flood of tasks cannot
// delay it by more than one budget; turnEnd comes last so that whatever the turn's events and
// tasks produced is handled once.
func (c *Core[E]) Polling(cb Callback, turnEnd TurnFunc) error {
	if err := c.beginPolling(); err != nil {
		return err
	}
	c.startClock()
	err := c.pollUntilStopped(cb, turnEnd)
	c.stopClock()
	// Dropping the leftovers keeps their arguments from being held alive, and keeps a later
	// Polling from running work its caller gave up on.
	c.tasks.Discard()
	if closeErr := c.endPolling(); closeErr != nil {
		return errors.Join(err, closeErr)
	}
	return err
}

// pollUntilStopped is the event loop proper.
//
// hot path: no allocation
func (c *Core[E]) pollUntilStopped(cb Callback, turnEnd TurnFunc) error {
	timeout := time.Duration(-1)
	for !c.closed.Load() {
		c.waitBegins()
		n, err := c.wait(timeout)
		c.waitEnded()
		if err != nil {
			return err
		}
		woken, err := c.kernel.Dispatch(c.events[:n], cb, &c.closed)
		if err != nil {
			return err
		}
		if woken {
			if err := c.consumeWakeup(); err != nil {
				return err
			}
		}
		ran, tasksLeft, err := c.tasks.Run(c.taskBudget, &c.closed)
		c.counters.Tasks.Add(uint64(ran))
		if err != nil {
			return err
		}
		c.counters.Turns.Add(1)
		timeout = -1
		if turnEnd != nil {
			if timeout, err = turnEnd(); err != nil {
				return err
			}
		}
		if tasksLeft {
			// Tasks left over by the budget have no wake-up coming for them, so the next
			// wait must only collect what is ready, not block.
			timeout = 0
		}
		c.growEventsIfFull(n)
	}
	return ErrPollerClosed
}

// wait runs the kernel's wait. A signal that interrupts it (the Go runtime preempts goroutines
// with signals, so EINTR is routine, not an error) makes a wait without a limit start again,
// and a wait with one return with nothing ready: the turn ends at once and the next wait is
// given what is left of the limit, which a retry here could not know.
//
// hot path: no allocation
func (c *Core[E]) wait(timeout time.Duration) (int, error) {
	for {
		c.counters.Waits.Add(1)
		n, err := c.kernel.Wait(c.events, timeout)
		switch {
		case err == nil:
			return n, nil
		case !errors.Is(err, syscall.EINTR):
			return 0, err
		case timeout >= 0:
			return 0, nil
		}
	}
}

// consumeWakeup resets the wake-up source and then clears wakePending. The order matters:
// cleared first, a trigger could set the flag and wake the kernel just before the reset
// swallows that wake-up, leaving the flag claiming a pending wake-up that the kernel no longer
// holds, and every later trigger would skip its own. Clearing the flag before the task drain
// (the caller's next step) means a trigger racing with the drain sends a fresh wake-up.
//
// hot path: no allocation
func (c *Core[E]) consumeWakeup() error {
	if err := c.kernel.ConsumeWakeup(); err != nil {
		return err
	}
	c.wakePending.Store(0)
	return nil
}

// growEventsIfFull doubles the event array, up to maxEvents, when a wait filled it: more
// descriptors may have been ready than one wait could return. Growth allocates once per
// doubling; the array is otherwise reused by every wait.
func (c *Core[E]) growEventsIfFull(n int) {
	if n < len(c.events) || len(c.events) >= c.maxEvents {
		return
	}
	c.events = make([]E, min(2*len(c.events), c.maxEvents))
}
