package netpoll

import "sync/atomic"

// cacheLineSize separates the fields that producers write from the ones the event loop
// writes, so that Trigger calls on other cores do not keep invalidating the loop's cache line.
const cacheLineSize = 64

// Counters are the atomic counters behind Stats, for backend implementers (Core keeps one).
// Every field may be added to and loaded from any goroutine. The zero value is all zeros.
//
// Triggers and Wakeups are written by the goroutines that call Trigger, Tasks, Waits and Turns by
// the event loop; padding keeps the two groups on different cache lines.
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
	}
}
