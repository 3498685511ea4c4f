package timerwheel

// Advance moves the wheel's clock to now and runs, on the calling goroutine, the callback of
// every timer that was pending when Advance began and is due: its deadline rounded up to the
// tick is at or before now, or it was armed with its deadline already past. They run in the
// order the package documentation gives. It returns how many callbacks ran. A now earlier than
// the wheel's present counts as the present. Call it from the loop's goroutine, never from a
// callback.
//
// A timer armed by one of these callbacks fires in a later Advance even when already due, so
// the work of one Advance is bounded by the timers pending when it began. If a callback panics,
// the panic reaches the caller with the wheel consistent: the timers it had not reached yet
// fire in the next Advance.
//
// hot path: no allocation
func (w *Wheel) Advance(now int64) int {
	if now > w.now {
		w.now = now
		w.nowTick = w.tickAt(now)
	}
	// Timers armed already due since the last Advance: move them to the expired list first, so
	// that those a callback arms due now wait on the due list for the next Advance.
	for {
		i, n := w.popFront(whereDue)
		if n == nil {
			break
		}
		w.link(i, n, whereExpired)
	}
	fired := w.fireList(whereExpired)
	for {
		level, index, ok := w.firstSlot()
		if !ok || w.slotStart(level, index) > w.nowTick {
			break
		}
		slot := level*slotsPerLevel + index
		if level == 0 {
			// Every timer of a level-0 slot expires at the slot's tick.
			w.cur = w.slotMin[slot]
			fired += w.fireList(whereSlots + uint16(slot))
			continue
		}
		// Move cur into the slot, no further than its earliest timer nor than now, and file
		// its timers again below; those expiring at cur are due.
		w.cur = min(w.slotMin[slot], w.nowTick)
		w.cascade(whereSlots + uint16(slot))
		fired += w.fireList(whereExpired)
	}
	// Every occupied slot now starts after nowTick, so cur may move there; timers armed next
	// are then filed relative to the present, on the lowest level their delay allows, which
	// keeps their moves down to the few the package documentation counts.
	w.cur = max(w.cur, w.nowTick)
	return fired
}

// cascade files again every timer of the slot at where, relative to the current tick: on a
// lower level, or on the expired list when it expires at or before cur.
//
// hot path: no allocation
func (w *Wheel) cascade(where uint16) {
	for {
		i, n := w.popFront(where)
		if n == nil {
			return
		}
		if e := w.expiryTick(n.deadline); e > w.cur {
			w.insert(i, n, e)
		} else {
			w.link(i, n, whereExpired)
		}
	}
}

// fireList runs the timers of the list at where, first to last, and returns how many ran. It
// takes one node off the front at a time, so that a callback may cancel the timers still on
// the list. A one-shot timer's node is released before its callback runs (its Handle is
// already stale there); a repeating timer is armed for its next deadline first, so that its
// callback can cancel it.
//
// hot path: no allocation
func (w *Wheel) fireList(where uint16) int {
	fired := 0
	for {
		i, n := w.popFront(where)
		if n == nil {
			return fired
		}
		fn, arg := n.fn, n.arg
		if n.period == 0 {
			w.release(i, n)
		} else {
			n.deadline = addSaturating(n.deadline, n.period)
			w.arm(i, n)
		}
		fn(arg)
		fired++
	}
}

// NextDeadline returns the time at which the loop must call Advance next, and false when no
// timer is pending (the loop may then wait for events alone). The loop bounds its poller wait
// by it, rounding up to the poller's unit, since waking before it fires nothing.
//
// The time returned is never later than the earliest expiry (deadline rounded up to the tick)
// of the pending timers. It equals it unless the earliest timer of a slot above level 0 (which
// holds only timers more than a few ticks ahead) has been cancelled: it is then that cancelled
// timer's expiry, within the same slot, and the Advance at that time files the slot's timers
// again, so that the next answer is exact. When a timer is already due it returns Now.
//
// hot path: no allocation
func (w *Wheel) NextDeadline() (deadline int64, ok bool) {
	if w.heads[whereDue] != nilIndex || w.heads[whereExpired] != nilIndex {
		return w.now, true
	}
	level, index, ok := w.firstSlot()
	if !ok {
		return 0, false
	}
	return w.timeOf(w.slotMin[level*slotsPerLevel+index]), true
}
