package timerwheel

import (
	"testing"
	"time"
)

func TestCallbackMayCancelTimersTheSameAdvanceHasNotReachedYet(t *testing.T) {
	// Timer 0 cancels timer 1; both, and timer 2 beside timer 1, are due in the same Advance.
	cases := []struct {
		name      string
		canceller int64 // deadline of timer 0
		victim    int64 // deadline of timers 1 and 2
	}{
		{name: "same tick", canceller: 5 * ms, victim: 5 * ms},
		{name: "later tick of level 0", canceller: 5 * ms, victim: 9 * ms},
		{name: "slot on a higher level", canceller: 5 * ms, victim: 3000 * ms},
		{name: "due list", canceller: -1, victim: -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(0, time.Millisecond)
			w.Advance(ms)
			r := newRecorder(w)
			var victim Handle
			w.ScheduleAt(c.canceller, func(any) { r.record(0); w.Cancel(victim) }, nil)
			victim = w.ScheduleAt(c.victim, r.record, 1)
			w.ScheduleAt(c.victim, r.record, 2)
			w.Advance(10_000 * ms)
			equalInts(t, "fired", r.ids(), []int{0, 2})
		})
	}
}

func TestTimerArmedByACallbackFiresInTheNextAdvanceEvenWhenAlreadyDue(t *testing.T) {
	cases := []struct {
		name string
		arm  func(w *Wheel, fn func(any)) Handle
	}{
		{name: "zero delay", arm: func(w *Wheel, fn func(any)) Handle { return w.Schedule(0, fn, 1) }},
		{name: "deadline in the past", arm: func(w *Wheel, fn func(any)) Handle { return w.ScheduleAt(w.Now()-hour, fn, 1) }},
		{name: "deadline the Advance has passed", arm: func(w *Wheel, fn func(any)) Handle { return w.ScheduleAt(w.Now()-500*ms, fn, 1) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, r := newRecordedWheel()
			w.ScheduleAt(ms, func(any) { r.record(0); c.arm(w, r.record) }, nil)
			if n := w.Advance(time.Second.Nanoseconds()); n != 1 {
				t.Fatalf("the first Advance ran %d callbacks, want only the one pending when it began", n)
			}
			if next, ok := w.NextDeadline(); !ok || next != w.Now() {
				t.Fatalf("NextDeadline = %d, %v; want the present, the armed timer being due", next, ok)
			}
			if n := w.Advance(w.Now()); n != 1 {
				t.Fatalf("the next Advance ran %d callbacks, want 1", n)
			}
			equalInts(t, "fired", r.ids(), []int{0, 1})
		})
	}
}

func TestCallbackThatReschedulesItselfWithNoDelayRunsOncePerAdvance(t *testing.T) {
	w := New(0, time.Millisecond)
	runs := 0
	var again func(any)
	again = func(any) {
		runs++
		w.Schedule(0, again, nil)
	}
	w.Schedule(0, again, nil)
	for k := 1; k <= 5; k++ {
		if n := w.Advance(w.Now()); n != 1 || runs != k {
			t.Fatalf("Advance %d ran %d callbacks (%d in all), want one per Advance", k, n, runs)
		}
	}
}

func TestTimerScheduledDuringALongAdvanceCountsFromTheAdvancesNow(t *testing.T) {
	// The loop wakes after a 10 s stall; a timer due at 1 s schedules a 5 ms follow-up. The
	// follow-up is 5 ms after the present (10 s), not after the 1 s deadline being served.
	w, r := newRecordedWheel()
	w.ScheduleAt(1000*ms, func(any) { r.record(0); w.Schedule(5*time.Millisecond, r.record, 1) }, nil)
	w.Advance(10_000 * ms)
	if n := w.Advance(10_005*ms - 1); n != 0 {
		t.Fatalf("the follow-up fired %d before its deadline", n)
	}
	w.Advance(10_005 * ms)
	equalInts(t, "fired", r.ids(), []int{0, 1})
	if r.fired[1].at != 10_005*ms {
		t.Fatalf("the follow-up fired at %d, want %d", r.fired[1].at, 10_005*ms)
	}
}

func TestClearFromACallbackStopsTheRunningAdvance(t *testing.T) {
	w, r := newRecordedWheel()
	w.ScheduleAt(ms, func(any) { r.record(0); w.Clear() }, nil)
	for k := 1; k <= 10; k++ {
		w.ScheduleAt(ms*int64(k), r.record, k)
	}
	w.ScheduleAtFixedRate(time.Millisecond, time.Millisecond, r.record, 99)
	w.Advance(hour)
	equalInts(t, "fired", r.ids(), []int{0})
	if w.Len() != 0 {
		t.Fatalf("Len = %d after Clear", w.Len())
	}
}

func TestPanickingCallbackLeavesTheRestForTheNextAdvance(t *testing.T) {
	w, r := newRecordedWheel()
	w.ScheduleAt(ms, func(any) { panic("callback failed") }, nil)
	w.ScheduleAt(ms, r.record, 1)
	w.ScheduleAt(2000*ms, r.record, 2)
	func() {
		defer func() { _ = recover() }() // the panic is the point of the test
		w.Advance(3000 * ms)
	}()
	if next, _ := w.NextDeadline(); next > w.Now() {
		t.Fatalf("NextDeadline = %d after the panic, want at most the present %d", next, w.Now())
	}
	w.Advance(3000 * ms)
	equalInts(t, "fired after the panic", r.ids(), []int{1, 2})
	if w.Len() != 0 {
		t.Fatalf("Len = %d, want 0", w.Len())
	}
}
