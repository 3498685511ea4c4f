package netpoll

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// errStop is what a test's callback or task returns to end Polling.
var errStop = errors.New("netpoll test: stop")

// fakeWatchdog bounds a blocking fake Wait that nothing wakes: the wait fails instead of
// hanging the test. No test measures time.
const fakeWatchdog = time.Minute

// fakeEvent is the fake kernel's event record: a ready descriptor, or the wake-up. Its token
// is the descriptor number.
type fakeEvent struct {
	fd   int
	wake bool
}

// fakeKernel is a level-triggered kernel in memory: readyFDs are writable at every wait, and
// the wake-up stays ready from Wake until ConsumeWakeup, as an eventfd does.
type fakeKernel struct {
	mu          sync.Mutex
	readyFDs    []int
	waitErrs    []error         // returned, in order, by the next waits
	wakeErrs    []error         // returned, in order, by the next wakes
	timeouts    []time.Duration // the timeout of every wait, when not nil
	controls    []control       // every Control call
	wakePending bool
	wakeCalls   int
	closeCalls  int
	signal      chan struct{} // holds a token after Wake, for a blocked wait
}

// control is one call of fakeKernel.Control.
type control struct {
	op       Op
	fd       int
	token    Token
	interest Event
}

func newFakeKernel() *fakeKernel { return &fakeKernel{signal: make(chan struct{}, 1)} }

func (k *fakeKernel) Control(op Op, fd int, token Token, interest Event) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.controls = append(k.controls, control{op: op, fd: fd, token: token, interest: interest})
	return nil
}

func (k *fakeKernel) Wait(events []fakeEvent, timeout time.Duration) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.timeouts != nil {
		k.timeouts = append(k.timeouts, timeout)
	}
	if len(k.waitErrs) > 0 {
		err := k.waitErrs[0]
		k.waitErrs = k.waitErrs[1:]
		return 0, err
	}
	if timeout != 0 && !k.wakePending && len(k.readyFDs) == 0 {
		limit := fakeWatchdog
		if timeout > 0 {
			limit = timeout
		}
		k.mu.Unlock()
		select {
		case <-k.signal:
		case <-time.After(limit):
		}
		k.mu.Lock()
		if !k.wakePending && timeout < 0 {
			return 0, errors.New("fake kernel: blocking wait never woken")
		}
	}
	n := 0
	// The wake-up comes first, so that a full array never hides it.
	if k.wakePending {
		events[n] = fakeEvent{wake: true}
		n++
	}
	for _, fd := range k.readyFDs {
		if n == len(events) {
			break
		}
		events[n] = fakeEvent{fd: fd}
		n++
	}
	return n, nil
}

func (k *fakeKernel) Dispatch(ready []fakeEvent, cb Callback, stop *atomic.Bool) (woken bool, err error) {
	for _, ev := range ready {
		if stop.Load() {
			break
		}
		if ev.wake {
			woken = true
		} else if err := cb(Token(ev.fd), EventWrite); err != nil {
			return woken, err
		}
	}
	return woken, nil
}

func (k *fakeKernel) Wake() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.wakeCalls++
	if len(k.wakeErrs) > 0 {
		err := k.wakeErrs[0]
		k.wakeErrs = k.wakeErrs[1:]
		return err
	}
	k.wakePending = true
	select {
	case k.signal <- struct{}{}:
	default: // a token is there already
	}
	return nil
}

func (k *fakeKernel) ConsumeWakeup() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.wakePending = false
	select {
	case <-k.signal:
	default:
	}
	return nil
}

func (k *fakeKernel) CloseDescriptors() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.closeCalls++
	return nil
}

// counts returns the fake's call counts under its lock.
func (k *fakeKernel) counts() (wakeCalls, closeCalls int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.wakeCalls, k.closeCalls
}

// fakeTask is one queued call in fakeTasks.
type fakeTask struct {
	fn     func(any) error
	arg    any
	urgent bool
}

// fakeTasks is a TaskQueue kept as one slice under a mutex: simple rather than fast, and
// allocation-free once the slice has grown.
type fakeTasks struct {
	mu       sync.Mutex
	queued   []fakeTask
	discards int
}

func (q *fakeTasks) PushUrgent(fn func(any) error, arg any) {
	q.push(fakeTask{fn: fn, arg: arg, urgent: true})
}

func (q *fakeTasks) PushNormal(fn func(any) error, arg any) { q.push(fakeTask{fn: fn, arg: arg}) }

func (q *fakeTasks) push(t fakeTask) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = append(q.queued, t)
}

// take removes and returns the oldest task of the given priority.
func (q *fakeTasks) take(urgent bool) (fakeTask, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, t := range q.queued {
		if t.urgent == urgent {
			q.queued = append(q.queued[:i], q.queued[i+1:]...)
			return t, true
		}
	}
	return fakeTask{}, false
}

// countUrgent returns how many urgent tasks are queued.
func (q *fakeTasks) countUrgent() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, t := range q.queued {
		if t.urgent {
			n++
		}
	}
	return n
}

func (q *fakeTasks) Run(budget int, stop *atomic.Bool) (ran int, pending bool, err error) {
	limits := [2]int{q.countUrgent(), budget}
	for pass, urgent := range [2]bool{true, false} {
		for taken := 0; taken < limits[pass] && !stop.Load(); taken++ {
			t, ok := q.take(urgent)
			if !ok {
				break
			}
			ran++
			if err := t.fn(t.arg); err != nil {
				return ran, false, err
			}
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return ran, len(q.queued) > 0, nil
}

func (q *fakeTasks) Discard() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queued = q.queued[:0]
	q.discards++
}

// openFakeCore returns a Core made with opts over a fake kernel and task queue, closed when
// the test ends.
func openFakeCore(t *testing.T, opts Options) (*Core[fakeEvent], *fakeKernel, *fakeTasks) {
	t.Helper()
	kernel, tasks := newFakeKernel(), &fakeTasks{}
	c, err := NewCore(opts, openKernel(kernel), tasks)
	if err != nil {
		t.Fatalf("NewCore(%+v) = %v", opts, err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	return c, kernel, tasks
}

// openKernel returns a kernel opener for NewCore that hands out k.
func openKernel(k *fakeKernel) func(Options) (Kernel[fakeEvent], error) {
	return func(Options) (Kernel[fakeEvent], error) { return k, nil }
}

// pollIterations runs exactly n iterations of Polling: an urgent task queues its successor,
// which runs at the next iteration, and stops the loop at the n-th.
func pollIterations(t *testing.T, c *Core[fakeEvent], n int) {
	t.Helper()
	iterations := 0
	var tick TaskFunc
	tick = func(any) error {
		iterations++
		if iterations == n {
			return errStop
		}
		return c.Trigger(PriorityUrgent, tick, nil)
	}
	if err := c.Trigger(PriorityUrgent, tick, nil); err != nil {
		t.Fatalf("Trigger = %v", err)
	}
	if err := c.Polling(func(Token, Event) error { return nil }, nil); !errors.Is(err, errStop) {
		t.Fatalf("Polling = %v, want %v", err, errStop)
	}
}
