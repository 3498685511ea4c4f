package timerwheel

import (
	"testing"
	"time"
)

const (
	ms   = int64(time.Millisecond)
	hour = int64(time.Hour)
	day  = 24 * hour
)

// firing is one callback run as a test saw it: which timer, and the wheel's clock then.
type firing struct {
	id int
	at int64
}

// recorder collects the firings of a wheel's timers in order. Its record method is the
// callback; the timer's id is the argument.
type recorder struct {
	w     *Wheel
	fired []firing
}

func newRecorder(w *Wheel) *recorder { return &recorder{w: w} }

// newRecordedWheel returns a wheel created at time 0 with a 1 ms tick, and a recorder for it.
func newRecordedWheel() (*Wheel, *recorder) {
	w := New(0, time.Millisecond)
	return w, newRecorder(w)
}

func (r *recorder) record(arg any) { r.fired = append(r.fired, firing{id: arg.(int), at: r.w.Now()}) }

func (r *recorder) ids() []int {
	ids := make([]int, len(r.fired))
	for k, f := range r.fired {
		ids[k] = f.id
	}
	return ids
}

// expiryTime returns the tick boundary at or after deadline for a wheel created at origin with
// tick: the earliest time at which the timer may fire. It is computed here independently of
// the wheel's own arithmetic, for deadlines well inside int64.
func expiryTime(origin, tick, deadline int64) int64 {
	if deadline <= origin {
		return origin
	}
	ticks := (deadline - origin + tick - 1) / tick
	return origin + ticks*tick
}

func noop(any) {}

func equalInts(t *testing.T, what string, got, want []int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for k := range got {
		if got[k] != want[k] {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}
