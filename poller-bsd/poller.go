//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
	"golang.org/x/sys/unix"
)

var _ netpoll.Poller = (*Poller)(nil)

// cacheLineSize separates the fields that producers write from the ones the event loop
// writes, so that Trigger calls on other cores do not keep invalidating the loop's cache line.
const cacheLineSize = 64

// Poller is a kqueue plus a wake-up source, bound to one event loop. Create it with Open. Its
// methods follow the threading rules of netpoll.Poller: Polling and the interest changes
// belong to the event loop's goroutine; Trigger, Close and Stats may be called from any
// goroutine.
type Poller struct {
	// Written by producers in Trigger.
	wakePending atomic.Uint32 // 1 while a wake-up has been sent and the loop has not consumed it
	triggers    atomic.Uint64
	wakeups     atomic.Uint64
	_           [cacheLineSize]byte

	urgent buffer.Queue[task]
	normal buffer.Queue[task]

	closed atomic.Bool
	// borrowers counts calls outside the event loop that are using kq or the wake-up source
	// right now; the descriptors are closed only once it is zero, so that no call reaches a
	// descriptor number the kernel may already have handed to someone else.
	borrowers atomic.Int32

	// Set by Open, then read-only: producers use wake concurrently.
	kq   int
	wake wakeup

	// Owned by the event loop.
	triggerMode int // EV_CLEAR or 0, added to every filter registration
	events      []unix.Kevent_t
	maxEvents   int
	taskBudget  int
	noWait      unix.Timespec // zero: kevent returns at once
	tasksRun    atomic.Uint64
	waits       atomic.Uint64

	// mu orders Close against the start and the end of Polling, so that exactly one of them
	// closes the descriptors, and never while another thread may be inside kevent.
	mu      sync.Mutex
	polling bool
}

// Open creates a kqueue, close-on-exec, and its wake-up source. The zero Options select
// level-triggered notification, batches of 128 events and a budget of 256 normal tasks per
// iteration. Call it from any goroutine; the Poller it returns is then driven by one event
// loop.
func Open(opts netpoll.Options) (*Poller, error) {
	opts, err := resolveOptions(opts)
	if err != nil {
		return nil, err
	}
	kq, err := openKqueue()
	if err != nil {
		return nil, err
	}
	wake, err := openWakeup(kq)
	if err != nil {
		// The wake-up error is the one worth reporting; closing a kqueue nobody used cannot
		// lose data.
		_ = unix.Close(kq)
		return nil, err
	}
	p := &Poller{
		kq:         kq,
		wake:       wake,
		events:     make([]unix.Kevent_t, opts.EventBatch),
		maxEvents:  opts.EventBatch * eventBatchGrowthLimit,
		taskBudget: opts.TaskBudget,
	}
	if opts.EdgeTriggered {
		p.triggerMode = unix.EV_CLEAR
	}
	return p, nil
}

// openKqueue creates a kqueue and marks it close-on-exec. kqueue(2) has no flag for that on
// every system here, so the two calls run under syscall.ForkLock, as the standard library's
// own descriptors do: a fork between them would leak the descriptor into the child's exec.
func openKqueue() (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	kq, err := unix.Kqueue()
	if err != nil {
		return -1, os.NewSyscallError("kqueue", err)
	}
	unix.CloseOnExec(kq)
	return kq, nil
}

// closeDescriptors closes the wake-up source and the kqueue once no borrower is using them.
// The caller holds mu and has set closed, so no new borrower can start.
func (p *Poller) closeDescriptors() error {
	p.waitForBorrowers()
	var errs []error
	if err := p.wake.close(); err != nil {
		errs = append(errs, err)
	}
	if err := unix.Close(p.kq); err != nil {
		errs = append(errs, os.NewSyscallError("close", err))
	}
	return errors.Join(errs...)
}
