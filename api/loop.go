package api

import (
	"errors"
	"time"
)

// IEventLoopGroup represents a set of event-loops: the loops of a server or a client, in
// Netty's vocabulary. The api.Server passed to OnInitComplete carries it (Server.Loops), and a
// connection reaches its own loop through EventLoopConn. Its methods are safe from any
// goroutine.
type IEventLoopGroup interface {
	// Len returns how many loops there are.
	Len() int
	// Next returns the loop the server's balancing policy picks next, as for a new
	// connection (source-address hashing, which needs an address, picks in turn).
	Next() IEventLoop
	// Loop returns the loop of index i, 0 <= i < Len().
	Loop(i int) IEventLoop
}

// IEventLoop is one event loop. The functions handed to it run on the loop's goroutine, one at a
// time and between the loop's events, so they may touch that loop's connections (and any
// state only that loop uses) without locks; like a callback, a function that blocks holds up
// every connection of the loop. Its methods are safe from any goroutine.
//
// A panic in a function is recovered and logged, as one in a callback is; the loop carries on.
// Once the server has stopped, submitting fails with ErrServerShutdown; functions still
// pending when it stops are dropped without running.
//
// Timers live on the loop, in a hierarchical timing wheel whose earliest deadline bounds the
// loop's wait: a pending timer costs memory (about 120 bytes) and no CPU until it is due, and a
// due timer runs within one turn of the loop after its deadline (plus the wheel's tick, 1 ms),
// never before it.
type IEventLoop interface {
	// Index returns the loop's index in its group.
	Index() int
	// Execute runs task on the loop as soon as it can, after the tasks submitted before it
	// from the same goroutine.
	Execute(task func()) error
	// Schedule runs task on the loop once delay has passed.
	Schedule(delay time.Duration, task func()) (ScheduledTask, error)
	// ScheduleAtFixedRate runs task on the loop after initialDelay, then every period. Each
	// run is due at the previous run's deadline plus period, so the rate does not drift with
	// how late a run was; a loop that fell behind by several periods catches up, one run per
	// turn. It runs until cancelled, from inside task or elsewhere, or until the server stops.
	ScheduleAtFixedRate(initialDelay, period time.Duration, task func()) (ScheduledTask, error)
}

// EventLoopConn is implemented by the engine's stream connections: EventLoop returns the loop
// that serves the connection, for timers of its own (a read timeout armed after a request, a
// delayed close) whose functions may then use the connection without locks.
type EventLoopConn interface {
	EventLoop() IEventLoop
}

// TaskCanceller is what a ScheduledTask cancels through: the engine's side of the handle.
type TaskCanceller interface {
	// CancelTask cancels the task id names, and reports whether it did so before the task
	// ran (for a repeating task: before its next run).
	CancelTask(id uint64) bool
}

// ScheduledTask is a handle to a scheduled function. The zero value names no task.
type ScheduledTask struct {
	canceller TaskCanceller
	id        uint64
}

// NewScheduledTask returns the handle to the task that id names at canceller. It is for
// engines; handlers receive handles from Schedule.
func NewScheduledTask(canceller TaskCanceller, id uint64) ScheduledTask {
	return ScheduledTask{canceller: canceller, id: id}
}

// Cancel keeps the task from running (a repeating one: from running again) and reports
// whether it did: false once a one-shot task has run or begun, when it was cancelled before,
// or when its server has stopped. It is O(1) and safe from any goroutine, the task's own
// function included.
func (t ScheduledTask) Cancel() bool {
	if t.canceller == nil {
		return false
	}
	return t.canceller.CancelTask(t.id)
}

// ErrInvalidSchedule is returned for a nil function or a period that is not positive.
var ErrInvalidSchedule = errors.New("gnet: nil task or non-positive period")
