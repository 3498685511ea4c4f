package netpoll

import (
	"errors"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestNewCoreSizesTheEventArrayAndTheTaskBudgetFromOptions(t *testing.T) {
	tests := []struct {
		name           string
		opts           Options
		wantBatch      int
		wantMaxEvents  int
		wantTaskBudget int
	}{
		{
			name: "zero value selects the defaults", opts: Options{},
			wantBatch: 128, wantMaxEvents: 128 * 64, wantTaskBudget: 256,
		},
		{
			name: "explicit values", opts: Options{EventBatch: 16, TaskBudget: 32},
			wantBatch: 16, wantMaxEvents: 16 * 64, wantTaskBudget: 32,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := openFakeCore(t, tc.opts)

			if len(c.events) != tc.wantBatch || c.maxEvents != tc.wantMaxEvents || c.taskBudget != tc.wantTaskBudget {
				t.Fatalf("events %d, maxEvents %d, taskBudget %d, want %d, %d, %d",
					len(c.events), c.maxEvents, c.taskBudget, tc.wantBatch, tc.wantMaxEvents, tc.wantTaskBudget)
			}
		})
	}
}

func TestNewCoreRejectsNegativeOptionsBeforeOpeningTheKernel(t *testing.T) {
	opened := false
	openKernel := func(Options) (Kernel[fakeEvent], error) {
		opened = true
		return newFakeKernel(), nil
	}

	c, err := NewCore(Options{TaskBudget: -1}, openKernel, &fakeTasks{})

	if !errors.Is(err, ErrInvalidOptions) || c != nil || opened {
		t.Fatalf("NewCore = %v, %v with the kernel opened %v, want nil, %v, false", c, err, opened, ErrInvalidOptions)
	}
}

func TestNewCoreReturnsTheKernelOpenersError(t *testing.T) {
	errOpen := errors.New("netpoll test: open failed")
	var gotOpts Options
	openKernel := func(opts Options) (Kernel[fakeEvent], error) {
		gotOpts = opts
		return nil, errOpen
	}

	c, err := NewCore(Options{EventBatch: 16}, openKernel, &fakeTasks{})

	wantOpts := Options{EventBatch: 16, TaskBudget: 256}
	if !errors.Is(err, errOpen) || c != nil || gotOpts != wantOpts {
		t.Fatalf("NewCore = %v, %v after opening with %+v, want nil, %v after %+v", c, err, gotOpts, errOpen, wantOpts)
	}
}

func TestEventArrayDoublesWhenAWaitFillsItUpToSixtyFourTimesItsSize(t *testing.T) {
	// The iterations are driven by wake-ups, so the wake-up is ready at each of them too.
	tests := []struct {
		name         string
		eventBatch   int
		readyFDs     int
		wantCapacity int
	}{
		{name: "never full", eventBatch: 8, readyFDs: 3, wantCapacity: 8},
		{name: "grows until one wait has room", eventBatch: 1, readyFDs: 2, wantCapacity: 4},
		{name: "stops at 64 times", eventBatch: 1, readyFDs: 100, wantCapacity: 64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, kernel, _ := openFakeCore(t, Options{EventBatch: tc.eventBatch})
			for fd := range tc.readyFDs {
				kernel.readyFDs = append(kernel.readyFDs, fd)
			}

			// Ten iterations are enough for the six doublings from 1 to 64.
			pollIterations(t, c, 10)

			if len(c.events) != tc.wantCapacity {
				t.Fatalf("event array of %d, want %d", len(c.events), tc.wantCapacity)
			}
		})
	}
}

func TestPollingTwiceAtOnceFailsWithErrAlreadyPolling(t *testing.T) {
	c, _, _ := openFakeCore(t, Options{})
	var second error
	if err := c.Trigger(PriorityNormal, func(any) error {
		second = c.Polling(func(Token, Event) error { return nil }, nil)
		return errStop
	}, nil); err != nil {
		t.Fatal(err)
	}

	first := c.Polling(func(Token, Event) error { return nil }, nil)

	if !errors.Is(first, errStop) || !errors.Is(second, ErrAlreadyPolling) {
		t.Fatalf("Polling = %v with an inner Polling = %v, want %v and %v", first, second, errStop, ErrAlreadyPolling)
	}
}

func TestTriggerWithNilTaskFailsWithErrNilTaskAndQueuesNothing(t *testing.T) {
	c, kernel, tasks := openFakeCore(t, Options{})

	err := c.Trigger(PriorityNormal, nil, nil)

	wakeCalls, _ := kernel.counts()
	if !errors.Is(err, ErrNilTask) || len(tasks.queued) != 0 || wakeCalls != 0 || c.Stats().Triggers != 0 {
		t.Fatalf("Trigger(nil) = %v, %d queued, %d wake-ups, %d triggers counted, want %v and nothing",
			err, len(tasks.queued), wakeCalls, c.Stats().Triggers, ErrNilTask)
	}
}

func TestTriggersBeforeTheLoopConsumesTheWakeupShareIt(t *testing.T) {
	const triggers = 100
	c, kernel, _ := openFakeCore(t, Options{})
	ran := 0
	count := func(any) error {
		ran++
		if ran == triggers {
			return errStop
		}
		return nil
	}
	for range triggers {
		if err := c.Trigger(PriorityNormal, count, nil); err != nil {
			t.Fatal(err)
		}
	}

	err := c.Polling(func(Token, Event) error { return nil }, nil)

	wakeCalls, _ := kernel.counts()
	stats := c.Stats()
	if !errors.Is(err, errStop) || wakeCalls != 1 || stats.Wakeups != 1 || stats.Triggers != triggers || stats.Tasks != triggers {
		t.Fatalf("Polling = %v after %d kernel wakes; stats %+v; want %v, 1 wake, %d triggers and tasks",
			err, wakeCalls, stats, errStop, triggers)
	}
}

func TestFailedWakeupIsReturnedAndTheNextTriggerWakesAgain(t *testing.T) {
	errWake := errors.New("netpoll test: wake failed")
	c, kernel, _ := openFakeCore(t, Options{})
	kernel.wakeErrs = []error{errWake}
	noop := func(any) error { return nil }

	first := c.Trigger(PriorityNormal, noop, nil)
	second := c.Trigger(PriorityNormal, noop, nil)

	wakeCalls, _ := kernel.counts()
	if !errors.Is(first, errWake) || second != nil || wakeCalls != 2 || c.Stats().Wakeups != 1 {
		t.Fatalf("Triggers = %v, %v with %d kernel wakes, %d counted, want %v, nil, 2 and 1",
			first, second, wakeCalls, c.Stats().Wakeups, errWake)
	}
}

func TestWaitIsRetriedAfterEINTRAndAnyOtherErrorStopsPolling(t *testing.T) {
	errWait := errors.New("netpoll test: wait failed")
	tests := []struct {
		name      string
		waitErrs  []error
		wantErr   error
		wantWaits uint64
	}{
		{name: "EINTR is retried", waitErrs: []error{syscall.EINTR, syscall.EINTR}, wantErr: errStop, wantWaits: 3},
		{name: "another error is returned", waitErrs: []error{errWait}, wantErr: errWait, wantWaits: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, kernel, _ := openFakeCore(t, Options{})
			kernel.waitErrs = tc.waitErrs
			if err := c.Trigger(PriorityUrgent, func(any) error { return errStop }, nil); err != nil {
				t.Fatal(err)
			}

			err := c.Polling(func(Token, Event) error { return nil }, nil)

			if !errors.Is(err, tc.wantErr) || c.Stats().Waits != tc.wantWaits {
				t.Fatalf("Polling = %v after %d waits, want %v after %d", err, c.Stats().Waits, tc.wantErr, tc.wantWaits)
			}
		})
	}
}

func TestWaitDoesNotBlockWhileTheTaskBudgetLeavesTasksQueued(t *testing.T) {
	c, kernel, _ := openFakeCore(t, Options{TaskBudget: 2})
	kernel.timeouts = []time.Duration{}
	ran := 0
	count := func(any) error {
		ran++
		if ran == 5 {
			return errStop
		}
		return nil
	}
	for range 5 {
		if err := c.Trigger(PriorityNormal, count, nil); err != nil {
			t.Fatal(err)
		}
	}

	err := c.Polling(func(Token, Event) error { return nil }, nil)

	// Iterations run 2, 2 and 1 tasks; only the first wait has nothing left over to run.
	want := []time.Duration{-1, 0, 0}
	if !errors.Is(err, errStop) || !slices.Equal(kernel.timeouts, want) {
		t.Fatalf("Polling = %v with wait timeouts %v, want %v with %v", err, kernel.timeouts, errStop, want)
	}
}

func TestTasksQueuedWhenPollingStopsAreDiscarded(t *testing.T) {
	c, _, tasks := openFakeCore(t, Options{})
	droppedRan := false
	if err := c.Trigger(PriorityNormal, func(any) error { return errStop }, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Trigger(PriorityNormal, func(any) error { droppedRan = true; return nil }, nil); err != nil {
		t.Fatal(err)
	}

	err := c.Polling(func(Token, Event) error { return nil }, nil)

	if !errors.Is(err, errStop) || droppedRan || tasks.discards != 1 || len(tasks.queued) != 0 {
		t.Fatalf("Polling = %v, dropped task ran %v, %d discards, %d left, want %v, false, 1, 0",
			err, droppedRan, tasks.discards, len(tasks.queued), errStop)
	}
}

func TestTurnEndRunsOncePerTurnAfterTheTurnsTasksAndItsErrorStopsPolling(t *testing.T) {
	c, _, _ := openFakeCore(t, Options{})
	var log []string
	turns := 0
	// Each turn's task queues the next turn's, as pollIterations does; the third turn's end
	// stops the loop.
	var task TaskFunc
	task = func(any) error {
		log = append(log, "task")
		return c.Trigger(PriorityUrgent, task, nil)
	}
	if err := c.Trigger(PriorityUrgent, task, nil); err != nil {
		t.Fatal(err)
	}
	turnEnd := func() (time.Duration, error) {
		log = append(log, "end")
		turns++
		if turns == 3 {
			return 0, errStop
		}
		return -1, nil
	}

	err := c.Polling(func(Token, Event) error { return nil }, turnEnd)

	want := []string{"task", "end", "task", "end", "task", "end"}
	if !errors.Is(err, errStop) || !slices.Equal(log, want) || c.Stats().Turns != 3 {
		t.Fatalf("Polling = %v after %v and %d turns counted, want %v after %v and 3", err, log, c.Stats().Turns, errStop, want)
	}
}

func TestTheLimitTurnEndReturnsBoundsTheNextWaitAndASignalEndsABoundedWaitEmpty(t *testing.T) {
	c, kernel, _ := openFakeCore(t, Options{})
	kernel.timeouts = []time.Duration{}
	// The second wait is interrupted by a signal: with a limit, it ends the turn with nothing
	// ready instead of starting the whole limit again.
	kernel.waitErrs = []error{nil, syscall.EINTR}
	limits := []time.Duration{3 * time.Millisecond, time.Millisecond, 0}
	turns := 0
	turnEnd := func() (time.Duration, error) {
		turns++
		if turns > len(limits) {
			return 0, errStop
		}
		return limits[turns-1], nil
	}

	err := c.Polling(func(Token, Event) error { return nil }, turnEnd)

	want := []time.Duration{-1, 3 * time.Millisecond, time.Millisecond, 0}
	if !errors.Is(err, errStop) || !slices.Equal(kernel.timeouts, want) {
		t.Fatalf("Polling = %v with wait timeouts %v, want %v with %v", err, kernel.timeouts, errStop, want)
	}
}
