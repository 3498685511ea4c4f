//go:build linux

package poller

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
	"golang.org/x/sys/unix"
)

var _ netpoll.Poller = (*Poller)(nil)

// cacheLineSize separates the fields that producers write from the ones the event loop
// writes, so that Trigger calls on other cores do not keep invalidating the loop's cache line.
const cacheLineSize = 64

// Poller is an epoll instance plus an eventfd for wake-ups, bound to one event loop. Create it
// with Open. Its methods follow the threading rules of netpoll.Poller: Polling and the
// interest changes belong to the event loop's goroutine; Trigger, Close and Stats may be
// called from any goroutine.
type Poller struct {
	// Written by producers in Trigger.
	wakePending atomic.Uint32 // 1 while a wake-up has been sent and the loop has not consumed it
	triggers    atomic.Uint64
	wakeups     atomic.Uint64
	_           [cacheLineSize]byte

	urgent buffer.Queue[task]
	normal buffer.Queue[task]

	closed atomic.Bool
	// borrowers counts calls outside the event loop that are using epfd or wakefd right now;
	// the descriptors are closed only once it is zero, so that no call reaches a descriptor
	// number the kernel may already have handed to someone else.
	borrowers atomic.Int32

	// Owned by the event loop.
	epfd        int
	wakefd      int
	triggerMode uint32 // EPOLLET or 0, added to every interest mask
	events      []unix.EpollEvent
	maxEvents   int
	taskBudget  int
	wakeDrain   [8]byte
	tasksRun    atomic.Uint64
	waits       atomic.Uint64

	// mu orders Close against the start and the end of Polling, so that exactly one of them
	// closes the descriptors, and never while another thread may be inside epoll_wait.
	mu      sync.Mutex
	polling bool
}

// Open creates an epoll instance and its wake-up eventfd, both close-on-exec. The zero
// Options select level-triggered notification, batches of 128 events and a budget of 256
// normal tasks per iteration. Call it from any goroutine; the Poller it returns is then
// driven by one event loop.
func Open(opts netpoll.Options) (*Poller, error) {
	opts, err := resolveOptions(opts)
	if err != nil {
		return nil, err
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		// The eventfd error is the one worth reporting; closing a descriptor nobody used
		// cannot lose data.
		_ = unix.Close(epfd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	// The eventfd stays level-triggered whatever opts says: the loop reads it to zero at
	// every wake-up, so level and edge behave alike, and level cannot lose a wake-up that
	// arrives between the read and the next wait.
	wakeInterest := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakefd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &wakeInterest); err != nil {
		// As above: report the registration failure; the descriptors were never used.
		_ = unix.Close(wakefd)
		_ = unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	p := &Poller{
		epfd:       epfd,
		wakefd:     wakefd,
		events:     make([]unix.EpollEvent, opts.EventBatch),
		maxEvents:  opts.EventBatch * eventBatchGrowthLimit,
		taskBudget: opts.TaskBudget,
	}
	if opts.EdgeTriggered {
		p.triggerMode = unix.EPOLLET
	}
	return p, nil
}

// closeDescriptors closes the epoll instance and the eventfd once no borrower is using them.
// The caller holds mu and has set closed, so no new borrower can start.
func (p *Poller) closeDescriptors() error {
	p.waitForBorrowers()
	var errs []error
	if err := unix.Close(p.wakefd); err != nil {
		errs = append(errs, os.NewSyscallError("close", err))
	}
	if err := unix.Close(p.epfd); err != nil {
		errs = append(errs, os.NewSyscallError("close", err))
	}
	return errors.Join(errs...)
}
