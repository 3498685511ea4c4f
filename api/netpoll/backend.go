package netpoll

import (
	"sync/atomic"
	"time"
)

// Op is what Kernel.Control does to a descriptor's registration. For backend implementers.
type Op uint8

const (
	// OpAdd registers a descriptor that is not registered yet.
	OpAdd Op = iota
	// OpModify replaces the interest of a registered descriptor.
	OpModify
	// OpDelete removes a registered descriptor.
	OpDelete
)

// Kernel is the part of a backend that differs between operating systems: registering
// descriptors, waiting for events, translating them, and the wake-up source. For backend
// implementers: a backend opens its Kernel in the function it hands to NewCore, and Core is
// then its only caller. E is the kernel's event record (unix.EpollEvent, unix.Kevent_t); Core
// owns the array of them.
type Kernel[E any] interface {
	// Control applies op to fd's registration. interest is EventRead, EventWrite or both for
	// OpAdd and OpModify, and zero for OpDelete, as is token. Notification is level-triggered.
	// Errors are wrapped with os.NewSyscallError. Called on the event loop, or from one
	// goroutine before Polling starts; Core keeps the descriptors open during the call.
	Control(op Op, fd int, token Token, interest Event) error

	// Wait fills events with ready entries and returns how many it stored. With a zero
	// timeout it returns at once; otherwise when something is ready, Wake is called, or the
	// timeout passes (never, when it is negative), rounded up to the kernel's unit. When a signal
	// interrupts the system call it returns syscall.EINTR as the call reported it, unwrapped,
	// and Core waits again; other errors are wrapped with os.NewSyscallError and stop Polling.
	// Called on the event loop only.
	Wait(events []E, timeout time.Duration) (int, error)

	// Dispatch calls cb, with the registration's token, for every descriptor among ready (the
	// entries the last Wait stored), and reports whether the wake-up source was among them
	// instead of passing it to cb. An entry of a registration made after that Wait returned
	// must carry that registration's old token or be dropped: it was collected before the
	// registration existed. It returns the first error cb returns, and stops early, without
	// error, once stop reads true (Close has been called). Called on the event loop only.
	Dispatch(ready []E, cb Callback, stop *atomic.Bool) (woken bool, err error)

	// Wake makes the wake-up source ready, so that a Wait in progress or the next one
	// returns. Core calls it from any goroutine, at most once per wake-up it has not seen
	// consumed (and again from Close), and guarantees that the descriptors stay open during
	// the call.
	Wake() error

	// ConsumeWakeup resets the wake-up source after Dispatch reported it, so that Wait stops
	// reporting it. Called on the event loop only.
	ConsumeWakeup() error

	// CloseDescriptors releases the kernel's descriptors. Core calls it once, when no other
	// call is using them and no Wait is in progress.
	CloseDescriptors() error
}

// TaskQueue is the two-priority queue of tasks that Core keeps Trigger calls in, for backend
// implementers: *buffer.TaskQueue satisfies it (this module may not import buffer, so the
// contract is stated here and met there). Push methods are called from any goroutine; Run and
// Discard from the event loop only.
type TaskQueue interface {
	// PushUrgent queues fn(arg) among the urgent tasks, without allocating in the steady state.
	PushUrgent(fn func(any) error, arg any)
	// PushNormal queues fn(arg) among the normal tasks, without allocating in the steady state.
	PushNormal(fn func(any) error, arg any)
	// Run runs every urgent task queued when it starts, then at most budget normal tasks, and
	// reports how many it ran and whether tasks remain queued. It stops at the first task that
	// returns an error and returns that error, and runs no further task once stop reads true.
	Run(budget int, stop *atomic.Bool) (ran int, pending bool, err error)
	// Discard drops, without running them, the tasks queued when it starts.
	Discard()
}
