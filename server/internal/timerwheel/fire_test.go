package timerwheel

import (
	"math"
	"sort"
	"testing"
	"time"
)

func TestTimerFiresAtTheFirstTickBoundaryAtOrAfterItsDeadlineNeverEarlier(t *testing.T) {
	cases := []struct {
		name   string
		tick   time.Duration
		origin int64
		delay  int64
	}{
		{name: "one nanosecond", tick: time.Millisecond, delay: 1},
		{name: "exactly one tick", tick: time.Millisecond, delay: ms},
		{name: "one tick and a nanosecond", tick: time.Millisecond, delay: ms + 1},
		{name: "last tick of level 0", tick: time.Millisecond, delay: 63 * ms},
		{name: "first tick of level 1", tick: time.Millisecond, delay: 64 * ms},
		{name: "inside level 1", tick: time.Millisecond, delay: 1000*ms + 123},
		{name: "first tick of level 2", tick: time.Millisecond, delay: 4096 * ms},
		{name: "thirty seconds", tick: time.Millisecond, delay: 30*1000*ms + 999_999},
		{name: "one hour", tick: time.Millisecond, delay: hour + 1},
		{name: "one day", tick: time.Millisecond, delay: day - 1},
		{name: "thirty days", tick: time.Millisecond, delay: 30*day + 17},
		{name: "ten years", tick: time.Millisecond, delay: 3650 * day},
		{name: "origin off the tick grid", tick: time.Millisecond, origin: 123_456_789, delay: 5*ms + 3},
		{name: "negative origin", tick: time.Millisecond, origin: -7 * hour, delay: 2*hour + 5},
		{name: "odd nanosecond tick", tick: 7, origin: 3, delay: 1000},
		{name: "microsecond tick, one day", tick: time.Microsecond, origin: 11, delay: day + 1},
		{name: "one-second tick", tick: time.Second, delay: 90 * int64(time.Second)},
		{name: "nanosecond tick", tick: 1, delay: 1 << 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(c.origin, c.tick)
			r := newRecorder(w)
			deadline := c.origin + c.delay
			w.Schedule(time.Duration(c.delay), r.record, 1)
			due := expiryTime(c.origin, int64(c.tick), deadline)
			if due < deadline || due-deadline >= int64(c.tick) {
				t.Fatalf("test arithmetic: expiry %d for deadline %d and tick %d", due, deadline, c.tick)
			}
			if n := w.Advance(deadline - 1); n != 0 {
				t.Fatalf("fired %d timers a nanosecond before the deadline", n)
			}
			if n := w.Advance(due - 1); n != 0 {
				t.Fatalf("fired %d timers a nanosecond before the tick boundary", n)
			}
			if n := w.Advance(due); n != 1 {
				t.Fatalf("fired %d timers at the tick boundary %d, want 1", n, due)
			}
			if r.fired[0].at < deadline {
				t.Fatalf("fired at %d, before the deadline %d", r.fired[0].at, deadline)
			}
			if w.Len() != 0 {
				t.Fatalf("Len after firing = %d, want 0", w.Len())
			}
		})
	}
}

func TestTimerFiresInTheFirstAdvanceOneTickAfterItsDeadlineWhateverTheStep(t *testing.T) {
	// The loop does not call Advance at tick boundaries; whatever the times it uses, the timer
	// fires at the first of them that has reached the boundary.
	steps := []struct {
		name string
		step int64
	}{
		{name: "a third of a tick", step: ms/3 + 1},
		{name: "exactly a tick", step: ms},
		{name: "seven ticks and a bit", step: 7*ms + 13},
		{name: "an hour", step: hour},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			w, r := newRecordedWheel()
			deadlines := []int64{1, ms, 5*ms + 1, 64 * ms, 70*ms + 5, 4097 * ms, 300_000*ms + 1}
			for k, d := range deadlines {
				w.ScheduleAt(d, r.record, k)
			}
			for now := int64(0); w.Len() > 0; now += s.step {
				w.Advance(now)
			}
			for _, f := range r.fired {
				due := expiryTime(0, ms, deadlines[f.id])
				if f.at < due || f.at >= due+s.step {
					t.Fatalf("timer %d (deadline %d) fired at %d, want the first step at or after %d", f.id, deadlines[f.id], f.at, due)
				}
			}
		})
	}
}

func TestTimersFireInExpiryOrderAndInArmingOrderWithinATick(t *testing.T) {
	w, r := newRecordedWheel()
	type timer struct {
		id       int
		deadline int64
	}
	var timers []timer
	// Deadlines spread over every level the test can reach in a few jumps, several per tick,
	// scheduled in an order unrelated to time.
	for k := range 2000 {
		d := int64(k*7919%2000)*ms/3 + int64(k%5)*hour
		timers = append(timers, timer{id: k, deadline: d + 1})
		w.ScheduleAt(d+1, r.record, k)
	}
	for _, now := range []int64{10 * ms, 70 * ms, 5000 * ms, hour, 3 * hour, 5 * hour} {
		w.Advance(now)
	}
	want := append([]timer(nil), timers...)
	sort.SliceStable(want, func(a, b int) bool {
		return expiryTime(0, ms, want[a].deadline) < expiryTime(0, ms, want[b].deadline)
	})
	wantIDs := make([]int, len(want))
	for k, tm := range want {
		wantIDs[k] = tm.id
	}
	equalInts(t, "firing order", r.ids(), wantIDs)
}

func TestTimerDueWhenScheduledFiresInTheNextAdvance(t *testing.T) {
	cases := []struct {
		name     string
		schedule func(w *Wheel, fn func(any)) Handle
	}{
		{name: "zero delay", schedule: func(w *Wheel, fn func(any)) Handle { return w.Schedule(0, fn, 1) }},
		{name: "negative delay", schedule: func(w *Wheel, fn func(any)) Handle { return w.Schedule(-time.Hour, fn, 1) }},
		{name: "deadline in the past", schedule: func(w *Wheel, fn func(any)) Handle { return w.ScheduleAt(w.Now()-5*ms, fn, 1) }},
		{name: "deadline before the origin", schedule: func(w *Wheel, fn func(any)) Handle { return w.ScheduleAt(math.MinInt64, fn, 1) }},
		{name: "deadline earlier in the current tick", schedule: func(w *Wheel, fn func(any)) Handle { return w.ScheduleAt(w.Now()-1, fn, 1) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(0, time.Millisecond)
			w.Advance(10*ms + ms/2)
			r := newRecorder(w)
			c.schedule(w, r.record)
			if d, ok := w.NextDeadline(); !ok || d != w.Now() {
				t.Fatalf("NextDeadline = %d, %v; want the present %d", d, ok, w.Now())
			}
			if n := w.Advance(w.Now()); n != 1 {
				t.Fatalf("Advance fired %d, want 1", n)
			}
		})
	}
}

func TestFarFutureTimersCrossEveryLevelAndFireOnTheirTick(t *testing.T) {
	// Driven as the loop drives it: wait until NextDeadline, Advance, repeat. With no cancels
	// NextDeadline is exact, so each wake-up fires something.
	w, r := newRecordedWheel()
	deadlines := []int64{3 * ms, 65 * ms, 4100 * ms, 263 * 1000 * ms, 5 * hour, 3 * day, 300 * day, 20 * 365 * day, math.MaxInt64 - 1}
	for k, d := range deadlines {
		w.ScheduleAt(d, r.record, k)
	}
	wakeUps := 0
	for {
		next, ok := w.NextDeadline()
		if !ok {
			break
		}
		wakeUps++
		if n := w.Advance(next); n != 1 {
			t.Fatalf("wake-up at %d fired %d timers, want 1", next, n)
		}
	}
	if wakeUps != len(deadlines) {
		t.Fatalf("%d wake-ups for %d timers", wakeUps, len(deadlines))
	}
	for k, f := range r.fired {
		if f.id != k {
			t.Fatalf("timer %d fired in position %d", f.id, k)
		}
		if want := expiryTime(0, ms, deadlines[k]); k < len(deadlines)-1 && f.at != want {
			t.Fatalf("timer %d fired at %d, want %d", k, f.at, want)
		}
	}
	// math.MaxInt64-1 rounds up past what int64 holds: it is due at math.MaxInt64.
	if last := r.fired[len(r.fired)-1]; last.at != math.MaxInt64 {
		t.Fatalf("the last timer fired at %d, want math.MaxInt64", last.at)
	}
}

func TestTimerArmedAfterALongIdleAdvanceIsFiledByItsDelayNotByTheWheelsAge(t *testing.T) {
	// After an hour with no timer, a 10 ms timer belongs on level 0, as it would in a new
	// wheel, not on the level an hour's distance from the origin would give.
	w := New(0, time.Millisecond)
	w.Advance(hour)
	h := w.Schedule(10*time.Millisecond, noop, nil)
	if where := w.node(h.index).where; where < whereSlots || where >= whereSlots+slotsPerLevel {
		t.Fatalf("a 10 ms timer is on list %d, want a level-0 slot", where)
	}
}
