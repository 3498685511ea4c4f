package e2e

import (
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// startLoops starts an echo server with n loops and returns its loop group.
func startLoops(t *testing.T, n int, opts ...server.Option) (api.IEventLoopGroup, *connKeeper, api.Server) {
	t.Helper()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", append([]server.Option{server.WithLoopNum(n)}, opts...)...)
	require.NotNil(t, srv.Loops)
	require.Equal(t, n, srv.Loops.Len())
	return srv.Loops, h, srv
}

// waitFor waits for a value on ch, failing the test after testutil.WaitLimit.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(testutil.WaitLimit):
		t.Fatalf("%s never happened", what)
		var zero T
		return zero
	}
}

func TestExecuteFromManyGoroutinesRunsEveryFunctionOnceInEachSubmittersOrder(t *testing.T) {
	loops, _, _ := startLoops(t, 2)
	const (
		submitters = 8
		each       = 500
	)
	loop := loops.Loop(1)
	// Only the loop touches seen: the functions run on it, one at a time.
	seen := make([][]int, submitters)
	done := make(chan struct{})
	var wg sync.WaitGroup
	var refused atomic.Int32
	for s := range submitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if loop.Execute(func() { seen[s] = append(seen[s], i) }) != nil {
					refused.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, refused.Load(), "a running loop refused a function")
	require.NoError(t, loop.Execute(func() { close(done) }))
	waitFor(t, done, "the last function")

	for s := range submitters {
		require.Len(t, seen[s], each, "submitter %d", s)
		require.True(t, slices.IsSorted(seen[s]), "submitter %d's functions ran out of order", s)
	}
}

func TestAFunctionOnAConnectionsLoopUsesTheConnectionWithoutLocks(t *testing.T) {
	_, h, srv := startLoops(t, 2)
	client := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	loop := c.(api.EventLoopConn).EventLoop()

	// Writes from the loop itself: queued directly, flushed at the end of the turn.
	require.NoError(t, loop.Execute(func() {
		_ = c.AsyncWrite([]byte("from ")) // a failure shows as a missing reply
		_ = c.AsyncWrite([]byte("the loop"))
	}))

	expectRead(t, client, []byte("from the loop"))
}

func TestScheduleRunsAfterItsDelayAndNeverBefore(t *testing.T) {
	loops, _, _ := startLoops(t, 1)
	const delay = 50 * time.Millisecond
	ran := make(chan time.Duration, 1)
	start := time.Now()

	_, err := loops.Next().Schedule(delay, func() { ran <- time.Since(start) })
	require.NoError(t, err)

	elapsed := waitFor(t, ran, "the scheduled function")
	require.GreaterOrEqual(t, elapsed, delay, "ran before its delay")
}

func TestCancelBeforeItRunsKeepsATaskFromRunningAndAfterwardsReportsFalse(t *testing.T) {
	loops, _, _ := startLoops(t, 1)
	loop := loops.Loop(0)
	var cancelledRan atomic.Bool
	cancelled, err := loop.Schedule(100*time.Millisecond, func() { cancelledRan.Store(true) })
	require.NoError(t, err)
	ran := make(chan struct{})
	finished, err := loop.Schedule(0, func() { close(ran) })
	require.NoError(t, err)

	require.True(t, cancelled.Cancel(), "a pending task is cancelled")
	require.False(t, cancelled.Cancel(), "a second cancel does nothing")
	waitFor(t, ran, "the other task")
	require.False(t, finished.Cancel(), "a task that ran cannot be cancelled")
	// A marker scheduled past the cancelled task's deadline proves it had its chance.
	marker := make(chan struct{})
	_, err = loop.Schedule(200*time.Millisecond, func() { close(marker) })
	require.NoError(t, err)
	waitFor(t, marker, "the marker")
	require.False(t, cancelledRan.Load(), "the cancelled task ran")
	require.False(t, api.ScheduledTask{}.Cancel(), "the zero handle names no task")
}

func TestCancelFromInsideOnTheLoopAndFromAnotherGoroutineStopsARepeatingTask(t *testing.T) {
	loops, _, _ := startLoops(t, 1)
	loop := loops.Loop(0)

	// From inside: the task cancels itself at its third run.
	runs := 0
	selfDone := make(chan struct{})
	var self api.ScheduledTask
	ready := make(chan struct{})
	self, err := loop.ScheduleAtFixedRate(0, 5*time.Millisecond, func() {
		<-ready
		runs++
		if runs == 3 {
			if !self.Cancel() {
				panic("a repeating task could not cancel itself")
			}
			close(selfDone)
		}
	})
	require.NoError(t, err)
	close(ready)
	waitFor(t, selfDone, "the third run")

	// From another goroutine, while it repeats.
	var outside atomic.Int32
	other, err := loop.ScheduleAtFixedRate(0, 5*time.Millisecond, func() { outside.Add(1) })
	require.NoError(t, err)
	require.Eventually(t, func() bool { return outside.Load() >= 2 }, testutil.WaitLimit, testutil.PollEvery)
	require.True(t, other.Cancel())
	afterCancel := outside.Load()

	// Both have stopped: a marker well past several periods finds their counts unchanged.
	finalRuns := make(chan int, 1)
	_, err = loop.Schedule(100*time.Millisecond, func() { finalRuns <- runs })
	require.NoError(t, err)
	require.Equal(t, 3, waitFor(t, finalRuns, "the marker"), "a task that cancelled itself ran again")
	// One run may have begun before the cancel reached the loop.
	require.LessOrEqual(t, outside.Load(), afterCancel+1, "a cancelled task kept running")
}

func TestFixedRateRunsAreDueOnePeriodApartWithoutDrift(t *testing.T) {
	loops, _, _ := startLoops(t, 1)
	const (
		period = 10 * time.Millisecond
		runs   = 30
	)
	start := time.Now()
	var at []time.Duration
	done := make(chan struct{})
	handle := make(chan api.ScheduledTask, 1)
	task, err := loops.Loop(0).ScheduleAtFixedRate(period, period, func() {
		at = append(at, time.Since(start))
		if len(at) == runs {
			(<-handle).Cancel()
			close(done)
		}
	})
	require.NoError(t, err)
	handle <- task
	waitFor(t, done, "the runs")

	// Run k is due at (k+1)·period from the start however late the runs before it were: it is
	// never early, and lateness does not accumulate into the later deadlines.
	for k, elapsed := range at {
		require.GreaterOrEqual(t, elapsed, time.Duration(k+1)*period, "run %d came early", k)
	}
}

func TestTimersFireWhileTheLoopIsBusyWithTraffic(t *testing.T) {
	loops, _, srv := startLoops(t, 1)
	client := testutil.Dial(t, srv.Addr)
	stop := make(chan struct{})
	echoed := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				echoed <- nil
				return
			default:
			}
			if err := testutil.RoundTrip(client, testutil.Payload(4096, uint64(i))); err != nil {
				echoed <- err
				return
			}
		}
	}()
	var fired atomic.Int32
	for i := range 20 {
		_, err := loops.Loop(0).Schedule(time.Duration(i)*time.Millisecond, func() { fired.Add(1) })
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return fired.Load() == 20 }, testutil.WaitLimit, testutil.PollEvery,
		"timers did not fire while the loop served traffic")
	close(stop)
	require.NoError(t, waitFor(t, echoed, "the end of the traffic"))
}

func TestAPanicInATaskIsContainedAndTheLoopCarriesOn(t *testing.T) {
	logger := new(testutil.Logger)
	loops, _, srv := startLoops(t, 1, server.WithLogger(logger))
	loop := loops.Loop(0)

	require.NoError(t, loop.Execute(func() { panic("task failure") }))
	_, err := loop.Schedule(time.Millisecond, func() { panic("timer failure") })
	require.NoError(t, err)
	after := make(chan struct{})
	_, err = loop.Schedule(20*time.Millisecond, func() { close(after) })
	require.NoError(t, err)

	waitFor(t, after, "a task after the panics")
	require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("still serving")))
	require.Eventually(t, func() bool { return logger.Contains("task failure") && logger.Contains("timer failure") },
		testutil.WaitLimit, testutil.PollEvery, "the panics were not logged")
}

func TestTasksOfAStoppedServerAreRefusedAndPendingOnesNeverRun(t *testing.T) {
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1))
	loop := srv.Loops.Loop(0)
	var ran atomic.Bool
	pending, err := loop.Schedule(time.Hour, func() { ran.Store(true) })
	require.NoError(t, err)

	srv.Close()

	require.ErrorIs(t, loop.Execute(func() {}), server.ErrServerShutdown)
	_, err = loop.Schedule(0, func() {})
	require.ErrorIs(t, err, server.ErrServerShutdown)
	_, err = loop.ScheduleAtFixedRate(0, time.Second, func() {})
	require.ErrorIs(t, err, server.ErrServerShutdown)
	require.False(t, pending.Cancel(), "a task dropped at the stop is not pending")
	require.False(t, ran.Load())
}

func TestNilTasksAndNonPositivePeriodsAreRefused(t *testing.T) {
	loops, _, _ := startLoops(t, 1)
	loop := loops.Next()
	require.ErrorIs(t, loop.Execute(nil), api.ErrInvalidSchedule)
	_, err := loop.Schedule(time.Second, nil)
	require.ErrorIs(t, err, api.ErrInvalidSchedule)
	_, err = loop.ScheduleAtFixedRate(0, 0, func() {})
	require.ErrorIs(t, err, api.ErrInvalidSchedule)
}

func TestAsyncWriteCallbackRunsOnceTheBytesReachTheKernelOrWithWhyTheyCouldNot(t *testing.T) {
	_, h, srv := startLoops(t, 1, server.WithWriteTimeOut(1))
	client := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	writer := c.(api.CallbackWriter)
	type outcome struct {
		err  error
		conn api.Conn
	}
	outcomes := make(chan outcome, 4)
	record := func(cb api.Conn, err error) error {
		outcomes <- outcome{err: err, conn: cb}
		return nil
	}

	// From another goroutine, delivered: the callback says nil.
	require.NoError(t, writer.AsyncWriteCallback([]byte("hello"), false, record))
	expectRead(t, client, []byte("hello"))
	first := waitFor(t, outcomes, "the callback")
	require.NoError(t, first.err)
	require.Same(t, c, first.conn)

	// A reply the peer never reads: the write timeout closes the connection and the callback
	// hears why.
	require.NoError(t, client.(*net.TCPConn).SetReadBuffer(16<<10))
	require.NoError(t, writer.AsyncWriteCallback(testutil.Payload(32<<20, 3), false, record))
	got := waitFor(t, outcomes, "the callback of the stuck write")
	require.ErrorIs(t, got.err, api.ErrConnClosed)
	require.ErrorIs(t, got.err, api.ErrWriteTimeout)

	// On a closed connection nothing is queued and the callback never runs.
	err := writer.AsyncWriteCallback([]byte("late"), false, record)
	require.ErrorIs(t, err, api.ErrConnClosed)
	select {
	case o := <-outcomes:
		t.Fatalf("a callback ran for a refused write: %v", o.err)
	case <-time.After(50 * time.Millisecond):
	}
}
