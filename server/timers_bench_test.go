package server

import (
	"github.com/gnetio/gnet/server/internal/gid"
	"runtime"
	"testing"
	"time"
)

// benchLoop returns a loop of a server that is not started: the benchmarks drive its wheel and
// its end of turn on their own goroutine, which stands for the loop's.
func benchLoop(b *testing.B) *eventloop {
	b.Helper()
	cfg, err := newConfig([]Option{WithLoopNum(1), WithLogger(discardLogger{})})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := newEngine(new(turnProbe), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.closeResources)
	el := srv.loops[0]
	el.gid.Store(0)
	return el
}

func noop() {}

// Scheduling and cancelling on the loop, as a protocol arms a read timeout for every request
// and cancels it when the request comes: no allocation once the task pool has warmed up.
func BenchmarkScheduleAndCancelOnTheLoop(b *testing.B) {
	el := benchLoop(b)
	el.gid.Store(gid.Current()) // this goroutine is the loop
	b.ReportAllocs()
	for b.Loop() {
		task, err := el.Schedule(30*time.Second, noop)
		if err != nil {
			b.Fatal(err)
		}
		if !task.Cancel() {
			b.Fatal("a pending task was not cancelled")
		}
	}
}

// One end of turn of a loop with 1,000,000 timers pending and none due: what every turn of a
// loop that keeps many timers costs. It allocates nothing, and does not walk the timers.
func BenchmarkLoopTurnWithAMillionIdleTimers(b *testing.B) {
	el := benchLoop(b)
	el.gid.Store(gid.Current()) // this goroutine is the loop
	for range 1_000_000 {
		if _, err := el.Schedule(time.Hour, noop); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := el.endTurn(); err != nil {
			b.Fatal(err)
		}
	}
}

// The memory a pending timer costs, at 1,000,000 of them: the wheel's node and the task.
func BenchmarkMemoryOfAMillionPendingTimers(b *testing.B) {
	const timers = 1_000_000
	for b.Loop() {
		el := benchLoop(b)
		el.gid.Store(gid.Current()) // this goroutine is the loop
		before := heapInUse()
		for range timers {
			if _, err := el.Schedule(time.Hour, noop); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(heapInUse()-before)/timers, "B/timer")
		runtime.KeepAlive(el)
	}
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
