package timerwheel

import (
	"math"
	"testing"
	"time"
)

// endings are the ways a timer stops being pending; after each, its Handle names nothing.
var endings = []struct {
	name      string
	end       func(w *Wheel, h Handle)
	wantFired int
}{
	{name: "fired", end: func(w *Wheel, _ Handle) { w.Advance(w.Now() + 10*ms) }, wantFired: 1},
	{name: "cancelled", end: func(w *Wheel, h Handle) { w.Cancel(h) }},
	{name: "cleared", end: func(w *Wheel, _ Handle) { w.Clear() }},
}

func TestCancelStopsAPendingTimerWhereverItIsFiled(t *testing.T) {
	cases := []struct {
		name  string
		delay time.Duration
		now   int64 // when not 0, Advance to it before cancelling
	}{
		{name: "level 0", delay: 5 * time.Millisecond},
		{name: "a high level", delay: 40 * time.Hour},
		{name: "the due list", delay: 0},
		{name: "moved down a level", delay: time.Hour, now: hour - 10*ms},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, r := newRecordedWheel()
			h := w.Schedule(c.delay, r.record, 1)
			if c.now != 0 {
				w.Advance(c.now)
			}
			if !w.Cancel(h) {
				t.Fatal("Cancel of a pending timer returned false")
			}
			if w.Pending(h) || w.Len() != 0 {
				t.Fatalf("after Cancel: Pending = %v, Len = %d", w.Pending(h), w.Len())
			}
			w.Advance(math.MaxInt64)
			if len(r.fired) != 0 {
				t.Fatal("the cancelled timer fired")
			}
		})
	}
}

func TestCancelOfATimerThatEndedIsANoOpReturningFalse(t *testing.T) {
	for _, e := range endings {
		t.Run(e.name, func(t *testing.T) {
			w, r := newRecordedWheel()
			h := w.Schedule(5*time.Millisecond, r.record, 1)
			e.end(w, h)
			if w.Cancel(h) || w.Pending(h) {
				t.Fatal("Cancel or Pending reported a timer that had ended")
			}
			w.Advance(math.MaxInt64)
			if len(r.fired) != e.wantFired {
				t.Fatalf("fired %d times, want %d", len(r.fired), e.wantFired)
			}
		})
	}
}

func TestHandlesThatNameNoTimerAreSafeNoOps(t *testing.T) {
	w := New(0, time.Millisecond)
	other := New(0, time.Millisecond)
	for range 3 * pageSize {
		other.Schedule(time.Second, noop, nil)
	}
	cases := []struct {
		name string
		h    Handle
	}{
		{name: "zero Handle", h: Handle{}},
		{name: "index beyond the wheel's nodes", h: other.Schedule(time.Second, noop, nil)},
		{name: "generation never issued", h: Handle{index: 1, gen: 12345}},
	}
	w.Schedule(time.Second, noop, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if w.Cancel(c.h) || w.Pending(c.h) {
				t.Fatal("a handle naming no timer of this wheel cancelled or reported one")
			}
			if w.Len() != 1 {
				t.Fatalf("Len = %d, want the 1 timer still pending", w.Len())
			}
		})
	}
}

func TestStaleHandleNeverCancelsTheTimerThatReusedItsNode(t *testing.T) {
	for _, e := range endings {
		t.Run(e.name, func(t *testing.T) {
			w, r := newRecordedWheel()
			stale := w.Schedule(time.Millisecond, r.record, 1)
			e.end(w, stale)
			fresh := w.Schedule(time.Millisecond, r.record, 2)
			if fresh.index != stale.index {
				t.Fatalf("the new timer got node %d, not the freed node %d; the test needs reuse", fresh.index, stale.index)
			}
			if w.Cancel(stale) || w.Pending(stale) {
				t.Fatal("the stale handle cancelled or reported the timer that reused its node")
			}
			if !w.Pending(fresh) {
				t.Fatal("the new timer is not pending")
			}
			w.Advance(w.Now() + 10*ms)
			if last := r.fired[len(r.fired)-1]; last.id != 2 {
				t.Fatalf("the new timer did not fire: %v", r.fired)
			}
		})
	}
}

func TestNodeWhoseGenerationsRunOutIsRetiredNotReused(t *testing.T) {
	w := New(0, time.Millisecond)
	first := w.Schedule(time.Millisecond, noop, nil)
	w.Cancel(first)
	// Skip to the node's last generation instead of reusing it 2^32 times.
	w.node(first.index).gen = math.MaxUint32
	last := w.Schedule(time.Millisecond, noop, nil)
	if last.index != first.index || last.gen != math.MaxUint32 {
		t.Fatalf("got handle %+v, want node %d at its last generation", last, first.index)
	}
	w.Cancel(last)
	next := w.Schedule(time.Millisecond, noop, nil)
	if next.index == first.index {
		t.Fatal("a node with no generation left was handed out again")
	}
	if w.Cancel(first) || w.Pending(first) {
		t.Fatal("the handle of the node's first use matched after its generations ran out")
	}
	if w.retired != 1 {
		t.Fatalf("retired = %d, want 1", w.retired)
	}
}

func TestNilCallbackAndNonPositivePeriodPanicAtScheduling(t *testing.T) {
	cases := []struct {
		name string
		call func(w *Wheel)
	}{
		{name: "Schedule with nil", call: func(w *Wheel) { w.Schedule(time.Second, nil, nil) }},
		{name: "ScheduleAt with nil", call: func(w *Wheel) { w.ScheduleAt(5, nil, nil) }},
		{name: "ScheduleAtFixedRate with nil", call: func(w *Wheel) { w.ScheduleAtFixedRate(0, time.Second, nil, nil) }},
		{name: "zero period", call: func(w *Wheel) { w.ScheduleAtFixedRate(0, 0, noop, nil) }},
		{name: "negative period", call: func(w *Wheel) { w.ScheduleAtFixedRate(0, -time.Second, noop, nil) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(0, time.Millisecond)
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
				if w.Len() != 0 {
					t.Fatalf("Len = %d after a refused schedule", w.Len())
				}
			}()
			c.call(w)
		})
	}
}
