package timerwheel

import "time"

// DefaultTick is the tick New uses when given a tick of zero or less: timers fire at most this
// long after their deadline, given an Advance then.
const DefaultTick = time.Millisecond

// Wheel holds the timers of one event loop. Create it with New; every method must be called
// from the loop's goroutine (see the package documentation).
type Wheel struct {
	pages   []*[pageSize]node // node storage; index i is pages[i>>pageShift][i&pageMask]
	free    uint32            // head of the free list, linked through node.next
	pending int               // timers scheduled and not yet fired, cancelled or cleared
	retired int               // nodes whose generations ran out; never reused

	heads [listCount]uint32 // first node of each list, indexed by where
	// slotMin is, for each occupied slot, the lowest expiry tick inserted since the slot was
	// last empty: exact unless that timer was cancelled, and never above the slot's earliest.
	slotMin        [levels * slotsPerLevel]uint64
	occupied       [levels]uint64 // bit s of occupied[l]: slot s of level l holds a timer
	occupiedLevels uint16         // bit l: occupied[l] != 0

	origin   int64  // the time given to New; tick numbers count from it
	tick     int64  // nanoseconds per tick
	lastTick uint64 // lastTickOf(origin, tick): later ticks start past math.MaxInt64
	now      int64  // the latest time given to New or Advance
	nowTick  uint64 // tickAt(now): timers expiring at or before it are due
	cur      uint64 // the tick the levels are laid out around; cur <= nowTick, equal once Advance returns
}

// New returns an empty Wheel whose clock reads now, with the given tick (DefaultTick when tick
// is zero or less). now is in the caller's monotonic nanoseconds, the clock every later call
// uses.
func New(now int64, tick time.Duration) *Wheel {
	if tick <= 0 {
		tick = DefaultTick
	}
	return &Wheel{origin: now, tick: int64(tick), lastTick: lastTickOf(now, int64(tick)), now: now}
}

// Now returns the latest time given to New or Advance: the wheel's present, from which
// Schedule counts.
func (w *Wheel) Now() int64 { return w.now }

// Tick returns the wheel's tick: how late after its deadline a timer may fire.
func (w *Wheel) Tick() time.Duration { return time.Duration(w.tick) }

// Len returns the number of pending timers: scheduled and not yet fired, cancelled or cleared.
// A repeating timer counts once and stays pending until it is cancelled or cleared.
func (w *Wheel) Len() int { return w.pending }

// Clear drops every pending timer without running it and returns how many it dropped, for a
// loop that stops. Every Handle issued so far becomes stale. The wheel stays usable, and keeps
// its nodes for the timers scheduled next. Clear may be called from a callback; the running
// Advance then fires nothing more.
func (w *Wheel) Clear() int {
	dropped := 0
	for where := whereDue; int(where) < listCount; where++ {
		for {
			i, n := w.popFront(where)
			if n == nil {
				break
			}
			w.release(i, n)
			dropped++
		}
	}
	return dropped
}
