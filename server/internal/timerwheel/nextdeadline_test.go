package timerwheel

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestNextDeadlineIsTheEarliestExpiryRoundedUpToTheTick(t *testing.T) {
	const origin = 1_234_567
	cases := []struct {
		name      string
		now       int64 // Advance to it after scheduling
		deadlines []int64
	}{
		{name: "none pending", deadlines: nil},
		{name: "level 0", deadlines: []int64{origin + 40*ms + 1, origin + 7*ms}},
		{name: "level 1", deadlines: []int64{origin + 900*ms + 3, origin + 3000*ms}},
		{name: "level 3 and 5", deadlines: []int64{origin + 30*day, origin + 5*hour + 77}},
		{name: "moved down by an Advance", now: origin + 2*hour, deadlines: []int64{origin + 2*hour + 20*ms + 1, origin + 4*day}},
		{name: "on a tick boundary", deadlines: []int64{origin + 64*ms}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(origin, time.Millisecond)
			for _, d := range c.deadlines {
				w.ScheduleAt(d, noop, nil)
			}
			w.Advance(c.now)
			next, ok := w.NextDeadline()
			if len(c.deadlines) == 0 {
				if ok {
					t.Fatalf("NextDeadline = %d, true with no timer pending", next)
				}
				return
			}
			want := expiryTime(origin, ms, slices.Min(c.deadlines))
			if !ok || next != want {
				t.Fatalf("NextDeadline = %d, %v; want %d", next, ok, want)
			}
		})
	}
}

func TestNextDeadlineAfterCancellingTheEarliestOfAFarSlotIsEarlyOnceThenExact(t *testing.T) {
	// 2950 ms and 3000 ms share the level-1 slot spanning 2944 to 3007 ms.
	w := New(0, time.Millisecond)
	first := w.ScheduleAt(2950*ms, noop, nil)
	w.ScheduleAt(3000*ms, noop, nil)
	w.Cancel(first)
	next, _ := w.NextDeadline()
	if next > 3000*ms || next < 2944*ms {
		t.Fatalf("NextDeadline = %d, want within the slot and not after the pending timer (%d)", next, 3000*ms)
	}
	if n := w.Advance(next); n != 0 {
		t.Fatalf("the early wake-up fired %d", n)
	}
	if next, _ = w.NextDeadline(); next != 3000*ms {
		t.Fatalf("NextDeadline after the early wake-up = %d, want exactly %d", next, 3000*ms)
	}
}

func TestLoopDrivenByNextDeadlineWakesOnlyToFireUnlessFarTimersWereCancelled(t *testing.T) {
	for _, withCancels := range []bool{false, true} {
		name := "no cancels"
		if withCancels {
			name = "with cancels"
		}
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 11))
			w := New(0, time.Millisecond)
			const timers = 3000
			handles := make([]Handle, 0, timers)
			for range timers {
				d := rng.Int64N(10 * hour)
				if rng.IntN(4) == 0 {
					d = rng.Int64N(200 * ms)
				}
				handles = append(handles, w.ScheduleAt(d, noop, nil))
			}
			cancels := 0
			if withCancels {
				for k := 0; k < len(handles); k += 3 {
					w.Cancel(handles[k])
					cancels++
				}
			}
			pending := w.Len()
			fired, idle := 0, 0
			for {
				next, ok := w.NextDeadline()
				if !ok {
					break
				}
				n := w.Advance(next)
				fired += n
				if n == 0 {
					idle++
				}
			}
			if fired != pending {
				t.Fatalf("fired %d of %d pending timers", fired, pending)
			}
			if !withCancels && idle != 0 {
				t.Fatalf("%d wake-ups fired nothing with no timer cancelled", idle)
			}
			if idle > cancels {
				t.Fatalf("%d wake-ups fired nothing, more than the %d cancels", idle, cancels)
			}
			t.Logf("%d timers fired, %d wake-ups fired nothing, %d cancels", fired, idle, cancels)
		})
	}
}
