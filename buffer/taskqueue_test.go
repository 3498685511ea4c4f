package buffer

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// errTaskFailed is what a failing task returns in these tests.
var errTaskFailed = errors.New("buffer test: task failed")

// taskLog records the argument of every task that ran, in order.
type taskLog struct{ ran []string }

func (l *taskLog) record(arg any) error {
	l.ran = append(l.ran, arg.(string))
	return nil
}

func TestZeroTaskQueueRunsNothingAndHasNothingPending(t *testing.T) {
	var q TaskQueue
	var stop atomic.Bool

	ran, pending, err := q.Run(10, &stop)

	if ran != 0 || pending || err != nil {
		t.Fatalf("Run on a zero queue = %d, %v, %v, want 0, false, nil", ran, pending, err)
	}
}

func TestTaskQueueRunRunsUrgentTasksBeforeNormalOnesEachInPushOrder(t *testing.T) {
	var q TaskQueue
	var log taskLog
	var stop atomic.Bool
	q.PushNormal(log.record, "normal 1")
	q.PushUrgent(log.record, "urgent 1")
	q.PushNormal(log.record, "normal 2")
	q.PushUrgent(log.record, "urgent 2")

	ran, pending, err := q.Run(10, &stop)

	want := []string{"urgent 1", "urgent 2", "normal 1", "normal 2"}
	if ran != 4 || pending || err != nil || !slices.Equal(log.ran, want) {
		t.Fatalf("Run = %d, %v, %v and ran %q, want 4, false, nil and %q", ran, pending, err, log.ran, want)
	}
}

func TestTaskQueueRunStopsNormalTasksAtTheBudgetAndReportsTheRestPending(t *testing.T) {
	tests := []struct {
		name        string
		urgent      int
		normal      int
		budget      int
		wantRan     int
		wantPending bool
	}{
		{name: "budget larger than the queue", normal: 3, budget: 5, wantRan: 3, wantPending: false},
		{name: "budget equal to the queue", normal: 3, budget: 3, wantRan: 3, wantPending: false},
		{name: "budget smaller than the queue", normal: 5, budget: 2, wantRan: 2, wantPending: true},
		{name: "zero budget runs urgent tasks only", urgent: 2, normal: 1, budget: 0, wantRan: 2, wantPending: true},
		{name: "urgent tasks do not use the budget", urgent: 4, normal: 2, budget: 2, wantRan: 6, wantPending: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q TaskQueue
			var log taskLog
			var stop atomic.Bool
			for range tc.urgent {
				q.PushUrgent(log.record, "urgent")
			}
			for range tc.normal {
				q.PushNormal(log.record, "normal")
			}

			ran, pending, err := q.Run(tc.budget, &stop)

			if ran != tc.wantRan || pending != tc.wantPending || err != nil {
				t.Fatalf("Run = %d, %v, %v, want %d, %v, nil", ran, pending, err, tc.wantRan, tc.wantPending)
			}
			if len(log.ran) != tc.wantRan {
				t.Fatalf("%d tasks ran, Run reported %d", len(log.ran), ran)
			}
		})
	}
}

func TestTaskQueueRunLeavesUrgentTasksPushedDuringTheRunForTheNextRun(t *testing.T) {
	var q TaskQueue
	var stop atomic.Bool
	generations := 0
	var pushSuccessor func(any) error
	pushSuccessor = func(any) error {
		generations++
		q.PushUrgent(pushSuccessor, nil)
		return nil
	}
	q.PushUrgent(pushSuccessor, nil)

	for run := 1; run <= 3; run++ {
		ran, pending, err := q.Run(10, &stop)

		if ran != 1 || !pending || err != nil || generations != run {
			t.Fatalf("Run %d = %d, %v, %v after %d generations, want 1, true, nil after %d",
				run, ran, pending, err, generations, run)
		}
	}
}

func TestTaskQueueRunStopsAtTheFirstFailingTaskAndKeepsTheRestQueued(t *testing.T) {
	fail := func(any) error { return errTaskFailed }
	tests := []struct {
		name        string
		push        func(q *TaskQueue, log *taskLog)
		wantRan     int
		wantLog     []string
		wantNextLog []string
	}{
		{
			name: "failing urgent task",
			push: func(q *TaskQueue, log *taskLog) {
				q.PushUrgent(log.record, "urgent 1")
				q.PushUrgent(fail, nil)
				q.PushUrgent(log.record, "urgent 2")
				q.PushNormal(log.record, "normal 1")
			},
			wantRan:     2,
			wantLog:     []string{"urgent 1"},
			wantNextLog: []string{"urgent 1", "urgent 2", "normal 1"},
		},
		{
			name: "failing normal task",
			push: func(q *TaskQueue, log *taskLog) {
				q.PushUrgent(log.record, "urgent 1")
				q.PushNormal(fail, nil)
				q.PushNormal(log.record, "normal 1")
			},
			wantRan:     2,
			wantLog:     []string{"urgent 1"},
			wantNextLog: []string{"urgent 1", "normal 1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q TaskQueue
			var log taskLog
			var stop atomic.Bool
			tc.push(&q, &log)

			ran, pending, err := q.Run(10, &stop)

			if ran != tc.wantRan || pending || !errors.Is(err, errTaskFailed) || !slices.Equal(log.ran, tc.wantLog) {
				t.Fatalf("Run = %d, %v, %v and ran %q, want %d, false, %v and %q",
					ran, pending, err, log.ran, tc.wantRan, errTaskFailed, tc.wantLog)
			}
			if _, _, err := q.Run(10, &stop); err != nil || !slices.Equal(log.ran, tc.wantNextLog) {
				t.Fatalf("next Run = %v and ran %q, want nil and %q", err, log.ran, tc.wantNextLog)
			}
		})
	}
}

func TestTaskQueueRunRunsNoFurtherTaskOnceStopReadsTrue(t *testing.T) {
	tests := []struct {
		name    string
		urgent  bool
		stopAt  int // the task, counted from 1, that sets stop; 0: stop is set before Run
		wantRan int
	}{
		{name: "stop set before Run", urgent: false, stopAt: 0, wantRan: 0},
		{name: "stop set by an urgent task", urgent: true, stopAt: 2, wantRan: 2},
		{name: "stop set by a normal task", urgent: false, stopAt: 1, wantRan: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var q TaskQueue
			var stop atomic.Bool
			calls := 0
			task := func(any) error {
				calls++
				if calls == tc.stopAt {
					stop.Store(true)
				}
				return nil
			}
			push := q.PushNormal
			if tc.urgent {
				push = q.PushUrgent
			}
			for range 3 {
				push(task, nil)
			}
			if tc.stopAt == 0 {
				stop.Store(true)
			}

			ran, pending, err := q.Run(10, &stop)

			if ran != tc.wantRan || calls != tc.wantRan || !pending || err != nil {
				t.Fatalf("Run = %d, %v, %v after %d calls, want %d, true, nil after %d",
					ran, pending, err, calls, tc.wantRan, tc.wantRan)
			}
		})
	}
}

func TestTaskQueueDiscardDropsQueuedTasksWithoutRunningThem(t *testing.T) {
	var q TaskQueue
	var log taskLog
	var stop atomic.Bool
	q.PushUrgent(log.record, "urgent")
	q.PushNormal(log.record, "normal")

	q.Discard()
	ran, pending, err := q.Run(10, &stop)

	if ran != 0 || pending || err != nil || len(log.ran) != 0 {
		t.Fatalf("Run after Discard = %d, %v, %v and ran %q, want 0, false, nil and nothing", ran, pending, err, log.ran)
	}
}

func TestTaskQueueTasksFromManyProducersRunOnceEachInEachProducersOrder(t *testing.T) {
	const (
		producers        = 4
		tasksPerProducer = 5000
	)
	// Urgent and normal tasks keep separate orders, so each producer numbers them apart.
	type pushed struct {
		producer, seq int
		urgent        bool
	}
	var q TaskQueue
	var stop atomic.Bool
	var nextUrgent, nextNormal [producers]int
	total, outOfOrder := 0, 0
	check := func(arg any) error {
		p := arg.(pushed)
		next := &nextNormal[p.producer]
		if p.urgent {
			next = &nextUrgent[p.producer]
		}
		if p.seq != *next {
			outOfOrder++
		}
		*next = p.seq + 1
		total++
		return nil
	}
	var wg sync.WaitGroup
	for producer := range producers {
		wg.Go(func() {
			for i := range tasksPerProducer {
				task := pushed{producer: producer, seq: i / 2, urgent: i%2 == 1}
				if task.urgent {
					q.PushUrgent(check, task)
				} else {
					q.PushNormal(check, task)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()

	// Bounded by the producers: once they are done, one more pass empties the queue.
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		for {
			if _, pending, err := q.Run(64, &stop); err != nil || !pending {
				break
			}
		}
		runtime.Gosched()
	}

	if total != producers*tasksPerProducer || outOfOrder != 0 {
		t.Fatalf("%d tasks ran, %d out of their producer's order, want %d and none",
			total, outOfOrder, producers*tasksPerProducer)
	}
}

func TestTaskQueuePushAndRunAllocateNothing(t *testing.T) {
	if raceDetectorOn {
		t.Skip("the race detector makes sync.Pool drop nodes at random")
	}
	var q TaskQueue
	var stop atomic.Bool
	arg := &struct{ calls int }{}
	count := func(a any) error {
		a.(*struct{ calls int }).calls++
		return nil
	}

	allocs := testing.AllocsPerRun(1000, func() {
		q.PushNormal(count, arg)
		q.PushUrgent(count, arg)
		if _, _, err := q.Run(1, &stop); err != nil {
			t.Fatal(err)
		}
	})

	if allocs != 0 || arg.calls != 2*1001 {
		t.Fatalf("%v allocations per run and %d calls, want 0 and %d (AllocsPerRun warms up once)",
			allocs, arg.calls, 2*1001)
	}
}
