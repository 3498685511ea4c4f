package timerwheel

import "time"

// Schedule arranges for fn(arg) to run once, delay after Now (the time of the latest Advance,
// not a fresh reading of the clock). A delay of zero or less makes the timer due at once: it
// fires in the next Advance. Pass state in arg, a pointer for instance, rather than in a
// closure, so that scheduling allocates nothing. fn must not be nil. Call it from the loop's
// goroutine, callbacks included.
//
// hot path: no allocation
func (w *Wheel) Schedule(delay time.Duration, fn func(arg any), arg any) Handle {
	return w.schedule(addSaturating(w.now, int64(delay)), 0, fn, arg)
}

// ScheduleAt is Schedule with an absolute deadline, in the clock given to New and Advance.
//
// hot path: no allocation
func (w *Wheel) ScheduleAt(deadline int64, fn func(arg any), arg any) Handle {
	return w.schedule(deadline, 0, fn, arg)
}

// ScheduleAtFixedRate arranges for fn(arg) to run initialDelay after Now, then at every period
// after that first deadline, until the returned Handle is cancelled (from the callback itself
// if need be) or the wheel is cleared. Each deadline is the previous deadline plus period, so
// the timer does not drift; runs missed while the loop was behind are caught up, one per
// Advance (see the package documentation). A period shorter than the tick makes the timer run
// once per Advance. period must be positive and fn must not be nil.
//
// hot path: no allocation
func (w *Wheel) ScheduleAtFixedRate(initialDelay, period time.Duration, fn func(arg any), arg any) Handle {
	if period <= 0 {
		panic("timerwheel: ScheduleAtFixedRate with a period of zero or less")
	}
	return w.schedule(addSaturating(w.now, int64(initialDelay)), int64(period), fn, arg)
}

// schedule takes a node, fills it and arms it.
func (w *Wheel) schedule(deadline, period int64, fn func(arg any), arg any) Handle {
	if fn == nil {
		panic("timerwheel: nil callback")
	}
	i, n := w.alloc()
	n.fn, n.arg, n.deadline, n.period = fn, arg, deadline, period
	w.pending++
	w.arm(i, n)
	return Handle{index: i, gen: n.gen}
}

// arm puts node i where its deadline says: on the due list when the deadline has passed (so
// that it fires in the next Advance, never in a running one), in its slot otherwise. A deadline
// after now expires after nowTick, as insert needs.
//
// hot path: no allocation
func (w *Wheel) arm(i uint32, n *node) {
	if n.deadline <= w.now {
		w.link(i, n, whereDue)
		return
	}
	w.insert(i, n, w.expiryTick(n.deadline))
}
