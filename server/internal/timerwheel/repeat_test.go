package timerwheel

import (
	"testing"
	"time"
)

func TestFixedRateTimerDoesNotDriftOverThousandsOfPeriods(t *testing.T) {
	// Periods that are not whole ticks accumulate no error: the k-th run's deadline is
	// start + initial + k*period exactly, and it fires at that deadline's tick boundary.
	cases := []struct {
		name    string
		tick    time.Duration
		initial time.Duration
		period  time.Duration
	}{
		{name: "whole ticks", tick: time.Millisecond, initial: 10 * time.Millisecond, period: 10 * time.Millisecond},
		{name: "a tick and a third", tick: time.Millisecond, initial: time.Millisecond / 3, period: 4 * time.Millisecond / 3},
		{name: "odd nanoseconds", tick: time.Millisecond, initial: 0, period: 7*time.Millisecond + 1},
		{name: "shorter than a level-0 turn", tick: time.Microsecond, initial: 5, period: 63*time.Microsecond + 999},
		{name: "longer than a level-0 turn", tick: time.Millisecond, initial: time.Hour, period: 65*time.Millisecond + 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const runs = 5000
			start := int64(1_000_003)
			w := New(start, c.tick)
			r := newRecorder(w)
			w.ScheduleAtFixedRate(c.initial, c.period, r.record, 0)
			for len(r.fired) < runs {
				next, ok := w.NextDeadline()
				if !ok {
					t.Fatal("the repeating timer is no longer pending")
				}
				if n := w.Advance(next); n != 1 {
					t.Fatalf("wake-up at %d ran %d callbacks, want 1", next, n)
				}
			}
			for k, f := range r.fired {
				deadline := start + int64(c.initial) + int64(k)*int64(c.period)
				if want := expiryTime(start, int64(c.tick), deadline); f.at != want {
					t.Fatalf("run %d at %d, want %d (deadline %d)", k, f.at, want, deadline)
				}
			}
		})
	}
}

func TestFixedRateTimerBehindByManyPeriodsCatchesUpOneRunPerAdvance(t *testing.T) {
	w, r := newRecordedWheel()
	const period = 10 * ms
	w.ScheduleAtFixedRate(time.Duration(period), time.Duration(period), r.record, 0)
	w.Advance(period) // run 1, on time
	// The loop stalls for one second: runs 2 to 101 are missed.
	stalled := period + 1000*ms
	for k := 2; k <= 101; k++ {
		if n := w.Advance(stalled); n != 1 {
			t.Fatalf("Advance number %d after the stall ran %d callbacks, want 1", k-1, n)
		}
		if next, _ := w.NextDeadline(); k < 101 && next != stalled {
			t.Fatalf("NextDeadline = %d with runs still missed, want the present %d", next, stalled)
		}
	}
	if len(r.fired) != 101 {
		t.Fatalf("%d runs, want 101", len(r.fired))
	}
	// Caught up: the next run is due on the original grid, not a period after the stall.
	if next, _ := w.NextDeadline(); next != 102*period {
		t.Fatalf("NextDeadline after catching up = %d, want %d", next, 102*period)
	}
	if n := w.Advance(stalled + 1); n != 0 {
		t.Fatalf("ran %d callbacks once caught up and before the next deadline", n)
	}
}

func TestRepeatingTimerCancelsItselfFromItsCallback(t *testing.T) {
	w := New(0, time.Millisecond)
	runs := 0
	var h Handle
	var cancelled bool
	h = w.ScheduleAtFixedRate(time.Millisecond, time.Millisecond, func(any) {
		runs++
		if !w.Pending(h) {
			t.Fatal("a repeating timer is not pending inside its own callback")
		}
		if runs == 3 {
			cancelled = w.Cancel(h)
		}
	}, nil)
	for now := int64(0); now <= 100*ms; now += ms {
		w.Advance(now)
	}
	if runs != 3 || !cancelled {
		t.Fatalf("runs = %d, cancelled = %v; want 3 runs and a successful cancel", runs, cancelled)
	}
	if w.Len() != 0 || w.Pending(h) {
		t.Fatal("the cancelled repeating timer is still pending")
	}
}

func TestOneShotTimerIsNoLongerPendingInsideItsCallback(t *testing.T) {
	w := New(0, time.Millisecond)
	var h Handle
	var pending, cancelled bool
	h = w.Schedule(time.Millisecond, func(any) {
		pending = w.Pending(h)
		cancelled = w.Cancel(h)
	}, nil)
	w.Advance(ms)
	if pending || cancelled {
		t.Fatalf("inside its callback: Pending = %v, Cancel = %v; want false, false", pending, cancelled)
	}
}
