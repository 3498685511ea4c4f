package netpoll

import (
	"sync/atomic"
	"time"
)

// cacheLineSize separates the fields that producers write from the ones the event loop
// writes, so that Trigger calls on other cores do not keep invalidating the loop's cache line.
const cacheLineSize = 64

// Counters are the atomic counters behind Stats, for backend implementers (Core keeps one).
// Every field may be added to and loaded from any goroutine. The zero value is all zeros.
//
// Triggers and Wakeups are written by the goroutines that call Trigger, the others by the event
// loop; padding keeps the two groups on different cache lines.
type Counters struct {
	// Triggers counts tasks queued with Trigger.
	Triggers atomic.Uint64
	// Wakeups counts wake-ups sent to the kernel.
	Wakeups atomic.Uint64
	_       [cacheLineSize]byte
	// Tasks counts tasks run.
	Tasks atomic.Uint64
	// Waits counts waits for events, retries after EINTR included.
	Waits atomic.Uint64
	// Turns counts turns of Polling that ran to their end.
	Turns atomic.Uint64
	// BusyNanos and IdleNanos add up the nanoseconds Polling spent outside and inside the
	// kernel's wait.
	BusyNanos, IdleNanos atomic.Int64
	// TurnStart is when the turn in progress began, in the nanoseconds of the package's
	// monotonic clock; 0 while Polling waits or is not running.
	TurnStart atomic.Int64
}

// Snapshot loads every counter into a Stats. It may be called from any goroutine, at any
// time; the counters are loaded one after another, so they are not a consistent picture of
// one instant.
func (c *Counters) Snapshot() Stats {
	return Stats{
		Triggers: c.Triggers.Load(),
		Wakeups:  c.Wakeups.Load(),
		Tasks:    c.Tasks.Load(),
		Waits:    c.Waits.Load(),
		Turns:    c.Turns.Load(),
		Busy:     time.Duration(c.BusyNanos.Load()),
		Idle:     time.Duration(c.IdleNanos.Load()),
		Turn:     turnAge(c.TurnStart.Load()),
	}
}

// turnAge is how long ago a turn that began at start (0: none) began.
func turnAge(start int64) time.Duration {
	if start == 0 {
		return 0
	}
	return time.Duration(max(0, monotonicNow()-start))
}
