package netpoll

import (
	"sync"
	"sync/atomic"

	"github.com/gnetio/gnet/api/sysfault"
)

// Core is the half of a Poller that does not depend on the operating system, for backend
// implementers: the closed flag and the "already polling" guard, the descriptors kept open for
// calls in flight, the coalesced wake-ups, the event loop with its growing event array and
// task budget, and the Stats counters. It satisfies Poller over a Kernel, which holds what
// differs; a backend's Poller type is a Core over its own kernel event record. Create it with
// NewCore.
//
// Its methods follow the threading rules of Poller: Polling and the interest changes belong to
// the event loop's goroutine; Trigger, Close and Stats may be called from any goroutine.
type Core[E any] struct {
	// Written by producers in Trigger, together with counters.Triggers and counters.Wakeups.
	wakePending atomic.Uint32 // 1 while a wake-up has been sent and the loop has not consumed it
	counters    Counters

	closed atomic.Bool
	// borrowers counts calls outside the event loop that are using the kernel's descriptors
	// right now; the descriptors are closed only once it is zero, so that no call reaches a
	// descriptor number the kernel may already have handed to someone else.
	borrowers atomic.Int32

	// Set by NewCore, then read-only.
	kernel     Kernel[E]
	tasks      TaskQueue
	maxEvents  int
	taskBudget int

	// Owned by the event loop.
	events []E
	// clockMark is when the loop's clock last changed between busy and idle (core_clock.go).
	clockMark int64

	// mu orders Close against the start and the end of Polling, so that exactly one of them
	// closes the descriptors, and never while another thread may be inside Wait.
	mu      sync.Mutex
	polling bool
}

// NewCore applies opts' defaults, rejecting negative values with ErrInvalidOptions before
// anything is opened, then calls openKernel with the resolved options and returns a Core that
// drives the kernel and keeps its tasks in tasks. A backend's Open calls it, from any
// goroutine; openKernel's error is returned as is, and openKernel must release what it opened
// before returning one. Built with the gnetfaults tag, the Core drives the kernel through the
// system-call fault seam (kernel_faults.go).
func NewCore[E any](
	opts Options, openKernel func(Options) (Kernel[E], error), tasks TaskQueue,
) (*Core[E], error) {
	opts, err := opts.WithDefaults()
	if err != nil {
		return nil, err
	}
	kernel, err := openKernel(opts)
	if err != nil {
		return nil, err
	}
	if sysfault.Enabled {
		kernel = faultKernel[E]{Kernel: kernel}
	}
	return &Core[E]{
		kernel:     kernel,
		tasks:      tasks,
		maxEvents:  opts.maxEventBatch(),
		taskBudget: opts.TaskBudget,
		events:     make([]E, opts.EventBatch),
	}, nil
}

// Stats returns the poller's counters, each read atomically. It may be called from any
// goroutine, before, during and after Polling; the counters are not a consistent snapshot of
// one instant.
func (c *Core[E]) Stats() Stats { return c.counters.Snapshot() }
