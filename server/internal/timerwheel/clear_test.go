package timerwheel

import (
	"math"
	"testing"
	"time"
)

func TestClearDropsEveryPendingTimerWithoutRunningIt(t *testing.T) {
	w, r := newRecordedWheel()
	handles := []Handle{
		w.Schedule(0, r.record, 0),                  // due list
		w.Schedule(5*time.Millisecond, r.record, 1), // level 0
		w.Schedule(time.Hour, r.record, 2),          // a high level
		w.ScheduleAtFixedRate(time.Millisecond, time.Millisecond, r.record, 3),
	}
	if n := w.Clear(); n != len(handles) {
		t.Fatalf("Clear dropped %d, want %d", n, len(handles))
	}
	if w.Len() != 0 {
		t.Fatalf("Len = %d after Clear", w.Len())
	}
	if next, ok := w.NextDeadline(); ok {
		t.Fatalf("NextDeadline = %d, true after Clear", next)
	}
	for k, h := range handles {
		if w.Pending(h) || w.Cancel(h) {
			t.Fatalf("handle %d still names a timer after Clear", k)
		}
	}
	w.Advance(math.MaxInt64 - 1)
	if len(r.fired) != 0 {
		t.Fatalf("dropped timers ran: %v", r.fired)
	}
	// The wheel stays usable.
	w.Schedule(time.Millisecond, r.record, 4)
	w.Advance(math.MaxInt64)
	equalInts(t, "fired after Clear", r.ids(), []int{4})
}
