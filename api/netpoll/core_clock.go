package netpoll

import "time"

// The loop's clock: how the time of Polling divides between the kernel's wait (Idle) and
// everything else (Busy: dispatching events, tasks, the end-of-turn function, and so every
// callback an event loop makes), and since when the turn in progress has run. The clock is
// read once at each end of a wait, so twice per turn, never per event or per task.

// clockEpoch anchors monotonicNow; time.Since reads only the monotonic clock.
var clockEpoch = time.Now()

// monotonicNow returns the nanoseconds since clockEpoch, at least 1, so that 0 can mean "not
// in a turn".
//
// hot path: no allocation
func monotonicNow() int64 { return max(1, int64(time.Since(clockEpoch))) }

// startClock begins the first turn: Polling is working from now on.
func (c *Core[E]) startClock() {
	c.clockMark = monotonicNow()
	c.counters.TurnStart.Store(c.clockMark)
}

// waitBegins closes the turn in progress: its time since the last wait was busy.
//
// hot path: no allocation
func (c *Core[E]) waitBegins() {
	now := monotonicNow()
	c.counters.BusyNanos.Add(now - c.clockMark)
	c.counters.TurnStart.Store(0)
	c.clockMark = now
}

// waitEnded opens a turn: the time since waitBegins was idle.
//
// hot path: no allocation
func (c *Core[E]) waitEnded() {
	now := monotonicNow()
	c.counters.IdleNanos.Add(now - c.clockMark)
	c.counters.TurnStart.Store(now)
	c.clockMark = now
}

// stopClock ends the last turn when Polling returns.
func (c *Core[E]) stopClock() {
	c.counters.BusyNanos.Add(monotonicNow() - c.clockMark)
	c.counters.TurnStart.Store(0)
}
