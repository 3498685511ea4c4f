// Package netpoll states the contract between the engine and the operating system's readiness
// notification facility. Two backends implement it: poller-linux (epoll and eventfd) and
// poller-bsd (kqueue and EVFILT_USER). Each exposes a package poller with
//
//	func Open(opts netpoll.Options) (*Poller, error)
//
// whose *Poller satisfies Poller; a compile-time assertion in each backend keeps it so.
//
// What the backends share is written once here, for backend implementers: Options.WithDefaults
// normalises options, Counters keeps the Stats, and Core is the whole Poller over a Kernel (the
// system calls that differ) and a TaskQueue (a buffer.TaskQueue). A backend is then its Kernel
// and an Open that calls NewCore, as the Go runtime's poller is one small file per platform
// over one shared netpoll.go.
//
// The contract has the shape of Rust's mio: a descriptor is registered with an interest (read,
// write or both) and a token the caller chooses; the interest is changed with Reregister and
// dropped with Deregister; Polling waits and hands back, for every ready descriptor, its token
// and what is ready. The token is what makes an event for a descriptor that was closed and
// whose number was reused recognisable: the stale event carries the old registration's token.
// Besides readiness, Polling runs the tasks other goroutines queue with Trigger, and calls an
// end-of-turn function once per turn (after the ready descriptors and the tasks), where an
// event loop writes everything the turn produced in one pass.
//
// A Poller is driven by exactly one goroutine, the event loop, which calls Polling.
// Registrations are changed from that goroutine too, except during set-up before Polling
// starts. Trigger, Close and Stats may be called from any goroutine.
package netpoll

import "time"

// Event is a set of readiness conditions reported for one descriptor.
type Event uint32

const (
	// EventRead: the descriptor has bytes to read, a listener has a connection to accept, or
	// a read would return end of file.
	EventRead Event = 1 << iota
	// EventWrite: a write would not block (and, for a connecting socket, the connect has
	// finished, successfully or not).
	EventWrite
	// EventHangup: the peer closed its side or the connection broke. Bytes may still be
	// buffered for reading; read them before closing.
	EventHangup
	// EventError: an error is pending on the descriptor (read it with SO_ERROR).
	EventError
)

// Has reports whether every condition in want is set in e.
func (e Event) Has(want Event) bool { return e&want == want }

// Token names one registration. The caller chooses it when it registers a descriptor and gets
// it back with every event of that registration. Give each registration of a descriptor
// number a token that the number's earlier registrations did not have (a generation counter in
// the upper bits, say): an event still in the batch being dispatched when the descriptor was
// closed and its number reused then carries the old token and can be dropped.
type Token uint64

// ReservedToken is the one token a registration may not use: backends mark their own wake-up
// source with it. Register and Reregister refuse it with ErrReservedToken.
const ReservedToken = ^Token(0)

// Callback is called by Polling once for every registration that is ready, with its token and
// the conditions that are set. A non-nil error stops Polling, which returns it: return one
// only to stop the loop.
type Callback func(token Token, ev Event) error

// TurnFunc is called by Polling at the end of every turn: after the ready descriptors of one
// wait have been dispatched and the turn's tasks have run, before the next wait. It returns the
// longest the next wait may block when nothing becomes ready (an event loop's next timer), or
// a negative duration for no limit. A non-nil error stops Polling, which returns it.
type TurnFunc func() (maxWait time.Duration, err error)

// TaskFunc is a unit of work handed to the event loop with Trigger. It receives the argument
// given to Trigger, so that a caller can pass state without allocating a closure. A non-nil
// error stops Polling, which returns it.
type TaskFunc func(arg any) error

// Priority orders the tasks queued with Trigger.
type Priority int

const (
	// PriorityNormal tasks run after the ready descriptors of an iteration have been handled,
	// at most Options.TaskBudget of them per iteration, so that a flood of tasks cannot starve
	// I/O; the rest run in later iterations.
	PriorityNormal Priority = iota
	// PriorityUrgent tasks all run at the next iteration, before normal tasks. Use them for
	// control work such as closing a connection or stopping the loop.
	PriorityUrgent
)

// Options configures a poller. The zero value is valid and selects the defaults.
type Options struct {
	// EventBatch is how many ready descriptors one wait may return at first; the batch
	// doubles, up to 64 times this size, whenever a wait fills it. Default 128.
	EventBatch int
	// TaskBudget is the most normal-priority tasks run per iteration. Default 256.
	TaskBudget int
	// HoldWait is how long a wait with nothing ready may sleep in the kernel while keeping the
	// event loop's processor, before it blocks the way the Go scheduler knows about. Keeping
	// the processor spares the loop the thread hand-off that a blocking system call may cause;
	// the price is a kernel timer armed at every such wait, and that other goroutines waiting
	// for that processor, and a garbage-collector pause, may wait up to HoldWait. Zero or
	// negative (the default) turns the step off; at most 1ms. The kqueue backend ignores it.
	HoldWait time.Duration
}

// Stats counts what a poller has done since it was opened. The counters are read atomically
// and may be read from any goroutine.
type Stats struct {
	// Triggers is the number of tasks queued with Trigger.
	Triggers uint64
	// Wakeups is the number of wake-up notifications actually sent to the kernel (eventfd
	// writes, EVFILT_USER triggers). Triggers that arrive while a wake-up is pending share it,
	// so this is normally far below Triggers.
	Wakeups uint64
	// Tasks is the number of tasks run.
	Tasks uint64
	// Waits is the number of times the poller waited for events (epoll_wait, kevent).
	Waits uint64
	// Turns is the number of turns Polling ran to their end (ready descriptors, tasks, then
	// the end-of-turn function).
	Turns uint64
	// Busy is the time Polling spent outside the kernel's wait (dispatching events, running
	// tasks and the end-of-turn function: every callback of an event loop); Idle the time it
	// spent waiting. Each is added to when a wait begins or ends, so that neither ever goes
	// back: a turn or a wait in progress is not in them yet.
	Busy, Idle time.Duration
	// Turn is how long the turn in progress has run: the time since the last wait returned,
	// or 0 while Polling waits or is not running. Waits does not change during a turn, so the
	// pair names the turn: a watchdog that sees Turn grow under the same Waits sees one turn
	// holding the loop.
	Turn time.Duration
}

// Poller is a readiness notifier bound to one event loop.
type Poller interface {
	// Register starts watching fd for interest (EventRead, EventWrite or both); its events
	// carry token. EventHangup and EventError are reported whatever the interest. fd must not
	// be registered already.
	Register(fd int, token Token, interest Event) error
	// Reregister replaces the interest and the token of a registered fd.
	Reregister(fd int, token Token, interest Event) error
	// Deregister stops watching fd, which stays open. A descriptor closed while registered
	// leaves the poller with its open file's last descriptor: until a duplicate of it is
	// closed too, its events keep coming with its old token, for the caller to drop.
	Deregister(fd int) error

	// Trigger queues fn(arg) to run on the event loop and wakes the loop if it is waiting.
	// Many triggers that arrive before the loop wakes share one wake-up. It is safe from any
	// goroutine and does not allocate in the steady state. After Close it returns
	// ErrPollerClosed and fn never runs.
	Trigger(pri Priority, fn TaskFunc, arg any) error

	// Polling waits for events and calls cb for every ready registration, then runs queued
	// tasks, then calls turnEnd (when not nil), turn after turn, until Close is called (it
	// then returns ErrPollerClosed) or cb, a task or turnEnd returns an error (it then returns
	// that error). A wait blocks until something is ready, a task is triggered, or the limit
	// turnEnd returned passes. Tasks still queued when Polling returns are dropped. Only one
	// goroutine may call Polling.
	Polling(cb Callback, turnEnd TurnFunc) error

	// Close stops Polling and releases the poller's descriptors. It is safe from any
	// goroutine and idempotent.
	Close() error

	// Stats returns the poller's counters.
	Stats() Stats
}
