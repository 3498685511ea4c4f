package timerwheel

import (
	"fmt"
	"testing"
	"time"
)

// counter is a callback argument passed as a pointer, so that scheduling allocates nothing.
type counter struct{ n int }

func count(arg any) { arg.(*counter).n++ }

// pendingCounts are the wheel sizes each benchmark runs at, to show that the cost does not
// depend on how many timers are pending.
var pendingCounts = []int{0, 1000, 1_000_000}

// fillFarAway schedules n timers 30 to 31 days ahead, scattered over the day: pending and
// never due while a benchmark runs (no benchmark advances the clock by a month).
func fillFarAway(w *Wheel, n int, c *counter) {
	for i := range n {
		w.ScheduleAt(w.Now()+30*day+int64(i*7919%n)*(day/int64(n)), count, c)
	}
}

// atPendingCounts runs body as one sub-benchmark per pending count, on a wheel that already
// holds that many far-away timers.
func atPendingCounts(b *testing.B, body func(b *testing.B, w *Wheel, c *counter)) {
	for _, pending := range pendingCounts {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			w := New(0, time.Millisecond)
			c := &counter{}
			fillFarAway(w, pending, c)
			b.ReportAllocs()
			body(b, w, c)
		})
	}
}

func BenchmarkScheduleCancel(b *testing.B) {
	atPendingCounts(b, func(b *testing.B, w *Wheel, c *counter) {
		for b.Loop() {
			h := w.Schedule(30*time.Second, count, c)
			w.Cancel(h)
		}
	})
}

func BenchmarkScheduleFire(b *testing.B) {
	// One timer scheduled one tick ahead and fired by the Advance a tick later, per op.
	atPendingCounts(b, func(b *testing.B, w *Wheel, c *counter) {
		now := w.Now()
		for b.Loop() {
			w.Schedule(time.Millisecond, count, c)
			now += ms
			w.Advance(now)
		}
		if c.n != b.N {
			b.Fatalf("%d timers fired in %d ops", c.n, b.N)
		}
	})
}

func BenchmarkAdvanceNothingDue(b *testing.B) {
	// The loop's turn when no timer is due: the clock moves one tick, nothing fires.
	atPendingCounts(b, func(b *testing.B, w *Wheel, _ *counter) {
		now := w.Now()
		for b.Loop() {
			now += ms
			if w.Advance(now) != 0 {
				b.Fatal("a timer fired")
			}
		}
	})
}

func BenchmarkNextDeadline(b *testing.B) {
	atPendingCounts(b, func(b *testing.B, w *Wheel, _ *counter) {
		var sink int64
		for b.Loop() {
			next, _ := w.NextDeadline()
			sink += next
		}
		_ = sink // only there to keep NextDeadline's result alive
	})
}

func BenchmarkFireTimersSpreadOverAMinute(b *testing.B) {
	// The amortized cost of a timer that comes due: n timers spread over 60 s, fired by an
	// Advance every tick, their moves down the levels included. Reported per timer, the 60,000
	// Advances included (at 10,000 timers they are about half of it). At a million the nodes
	// no longer fit in the processor's caches and each visit to one is a miss.
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("timers=%d", n), func(b *testing.B) {
			c := &counter{}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				w := New(0, time.Millisecond)
				for i := range n {
					w.ScheduleAt(int64(i*7919%n)*(60_000*ms/int64(n))+1, count, c)
				}
				b.StartTimer()
				for now := int64(0); w.Len() > 0; now += ms {
					w.Advance(now)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/timer")
		})
	}
}

func BenchmarkMemoryPerPendingTimer(b *testing.B) {
	for b.Loop() {
		perTimer := bytesPerPendingTimer(1_000_000)
		b.ReportMetric(perTimer, "B/timer")
	}
}
