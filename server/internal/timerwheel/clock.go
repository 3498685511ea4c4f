package timerwheel

import "math"

// Tick numbers are uint64 counts of ticks since the Wheel's origin (the time given to New).
// They are computed in unsigned arithmetic so that any origin, negative ones included, and any
// deadline up to math.MaxInt64 has a tick number without overflow.

// expiryTick returns the tick at whose start a timer with this deadline is due: the deadline
// rounded up to a tick boundary. A deadline at or before the origin is due at tick 0.
func (w *Wheel) expiryTick(deadline int64) uint64 {
	if deadline <= w.origin {
		return 0
	}
	sinceOrigin := uint64(deadline) - uint64(w.origin)
	tick := uint64(w.tick)
	e := sinceOrigin / tick
	if sinceOrigin%tick != 0 {
		e++
	}
	return e
}

// tickAt returns the last tick that has started at time now: now rounded down to a tick
// boundary. math.MaxInt64 is the end of time, where every tick has started: a deadline whose
// tick boundary lies beyond what int64 can say still fires there, rather than never.
func (w *Wheel) tickAt(now int64) uint64 {
	if now <= w.origin {
		return 0
	}
	if now == math.MaxInt64 {
		return math.MaxUint64
	}
	return (uint64(now) - uint64(w.origin)) / uint64(w.tick)
}

// lastTickOf returns the last tick whose start an int64 can say, for a wheel with this origin
// and tick.
func lastTickOf(origin, tick int64) uint64 {
	// Nanoseconds from the origin to math.MaxInt64; exact in uint64 for a negative origin too.
	room := uint64(math.MaxInt64) - uint64(origin)
	return room / uint64(tick)
}

// timeOf returns the time at which tick t starts, or math.MaxInt64 when that is later than an
// int64 can say.
//
// hot path: no allocation
func (w *Wheel) timeOf(t uint64) int64 {
	if t > w.lastTick {
		return math.MaxInt64
	}
	return int64(uint64(w.origin) + t*uint64(w.tick))
}

// addSaturating returns t+d, held at the bounds of int64 instead of wrapping, so that a delay
// or period of many years means "never" rather than "long ago".
func addSaturating(t, d int64) int64 {
	switch {
	case d > 0 && t > math.MaxInt64-d:
		return math.MaxInt64
	case d < 0 && t < math.MinInt64-d:
		return math.MinInt64
	}
	return t + d
}
