package timerwheel

import (
	"math"
	"testing"
	"time"
)

func TestTickArithmeticHoldsForAnyOriginAndSaturatesAtTheEndsOfInt64(t *testing.T) {
	cases := []struct {
		name       string
		origin     int64
		tick       int64
		deadline   int64
		wantExpiry uint64
		now        int64
		wantTickAt uint64
	}{
		{name: "deadline on a boundary", tick: ms, deadline: 3 * ms, wantExpiry: 3, now: 3 * ms, wantTickAt: 3},
		{name: "deadline just past a boundary", tick: ms, deadline: 3*ms + 1, wantExpiry: 4, now: 4*ms - 1, wantTickAt: 3},
		{name: "before the origin", origin: 10, tick: ms, deadline: -5, wantExpiry: 0, now: -5, wantTickAt: 0},
		{name: "most negative origin", origin: math.MinInt64, tick: 1, deadline: math.MaxInt64, wantExpiry: math.MaxUint64, now: math.MinInt64 + 9, wantTickAt: 9},
		{name: "largest deadline", tick: ms, deadline: math.MaxInt64, wantExpiry: math.MaxInt64/uint64(ms) + 1, now: math.MaxInt64 - 1, wantTickAt: (math.MaxInt64 - 1) / uint64(ms)},
		{name: "end of time", tick: ms, deadline: 0, wantExpiry: 0, now: math.MaxInt64, wantTickAt: math.MaxUint64},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := New(c.origin, time.Duration(c.tick))
			if got := w.expiryTick(c.deadline); got != c.wantExpiry {
				t.Fatalf("expiryTick(%d) = %d, want %d", c.deadline, got, c.wantExpiry)
			}
			if got := w.tickAt(c.now); got != c.wantTickAt {
				t.Fatalf("tickAt(%d) = %d, want %d", c.now, got, c.wantTickAt)
			}
			if at := w.timeOf(c.wantExpiry); at < c.deadline && at != math.MaxInt64 {
				t.Fatalf("timeOf(expiry) = %d, before the deadline %d", at, c.deadline)
			}
		})
	}
}

func TestDelaysSaturateInsteadOfWrapping(t *testing.T) {
	cases := []struct {
		name string
		t, d int64
		want int64
	}{
		{name: "ordinary", t: 5, d: 7, want: 12},
		{name: "past the top", t: math.MaxInt64 - 3, d: 10, want: math.MaxInt64},
		{name: "past the bottom", t: math.MinInt64 + 3, d: -10, want: math.MinInt64},
		{name: "negative delay", t: 100, d: -30, want: 70},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := addSaturating(c.t, c.d); got != c.want {
				t.Fatalf("addSaturating(%d, %d) = %d, want %d", c.t, c.d, got, c.want)
			}
		})
	}
	w := New(0, time.Millisecond)
	w.Advance(hour)
	h := w.Schedule(math.MaxInt64, noop, nil)
	if next, _ := w.NextDeadline(); next != math.MaxInt64 || !w.Pending(h) {
		t.Fatalf("a delay of math.MaxInt64 is due at %d, want math.MaxInt64 (never before the end of time)", next)
	}
}
