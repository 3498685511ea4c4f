// Package timerwheel keeps the timers of one event loop: one-shot timers (Netty's schedule),
// fixed-rate repeating timers (Netty's scheduleAtFixedRate), per-connection timeouts and the
// engine's own idle, write, linger and handshake timeouts.
//
// # Who calls what
//
// A Wheel belongs to one goroutine, its event loop's, and has no locks: every method must be
// called from that goroutine. Callbacks run on it too, inside Advance, and may call every
// method except Advance. At the end of each turn the loop asks NextDeadline how long its poller
// may wait, and after the wait calls Advance with the current time.
//
// # Time
//
// Times are int64 nanoseconds of a monotonic clock chosen by the caller (the loop can use
// int64(time.Since(start)); tests use a fake clock). The wheel never reads a clock itself: its
// notion of now is the latest time passed to New or Advance, which Now returns and from which
// Schedule counts its delay, as libuv's uv_now does for the loop's timers.
//
// # Precision
//
// Time is cut into ticks (New's tick, 1 ms by default) counted from the time given to New. A
// timer's deadline is rounded up to the next tick boundary, its expiry tick; it fires in the
// first Advance whose now has reached that boundary. A timer armed with a deadline that has
// already passed (a delay of zero, say) is due at once and fires in the next Advance. So a
// timer never fires before its deadline, and an Advance called a tick or more after the
// deadline always fires it (unless the timer was armed by a callback of that same Advance, see
// below). math.MaxInt64 is the end of time: an Advance there fires every pending timer.
//
// # Layout
//
// Timers live on 11 levels of 64 slots. A slot of level l spans 64^l ticks, so level 0 holds
// single ticks and the 11 levels together span every uint64 tick number: a far deadline (days,
// or math.MaxInt64) needs no special case. A timer goes on the level of the highest 6-bit group
// of its expiry tick that differs from the wheel's current tick, into the slot that group
// names. It follows that every timer on level l expires after every timer on the levels below,
// and that on one level the slots are in order of time. A bitmap of non-empty slots per level,
// and one of non-empty levels, therefore find the earliest slot with two count-trailing-zeros
// instructions, however many timers are pending. When time reaches a slot above level 0, its
// timers are filed again on lower levels. Each move goes down at least one level, so a timer
// moves at most as many times as the level it was first filed on, 10 at the very most; a delay
// under 64^k ticks lands below level k unless it straddles a coarser boundary, so at a 1 ms
// tick a 30 s timeout moves at most twice nine times out of ten. When time reaches a slot of
// level 0, its timers fire. Each slot is a circular doubly linked list threaded through the
// timers themselves, by index, so insertion and removal are O(1).
//
// This is the hierarchical timing wheel of Varghese and Lauck with cascading, laid out around
// absolute tick numbers as the Linux kernel's wheel is; unlike the kernel's since 4.8, timers
// are cascaded down rather than left to fire late on a coarse level, so the precision above
// holds at every distance.
//
// # Cost
//
//	Schedule, ScheduleAt, ScheduleAtFixedRate   O(1), no allocation once the node pool has grown
//	Cancel, Pending                             O(1), no allocation
//	Advance                                     O(levels) when nothing is due, plus O(1) per timer
//	                                            fired and per move to a lower level
//	NextDeadline                                O(1): two bitmap scans
//	Clear                                       O(number of pending timers)
//
// Memory: each timer is a 56-byte node on 64-bit platforms (44 bytes on 32-bit ones), which
// BenchmarkMemoryPerPendingTimer measures at 1,000,000 pending timers. Nodes are allocated in
// pages of 1024 and recycled through a free list, so growing never copies the pending timers
// and memory stays at the most timers ever pending at once until the Wheel is dropped. The
// levels themselves take a fixed 8.6 KB per Wheel.
//
// # Handles
//
// Schedule returns a Handle: a node index and the node's generation, 8 bytes, nothing
// allocated. A node's generation changes each time it is released (fired, cancelled,
// cleared), so a Handle kept after its timer ended never matches the node's next use: Cancel
// returns false and touches nothing. A node whose generation has gone through all 2^32 values
// is retired instead of being reused, so this holds however long the loop runs.
//
// # Order
//
// Timers fire in order of expiry tick; timers with the same expiry tick fire in the order they
// were armed (scheduled, or re-armed by a repeat). Timers that were already due when they were
// armed fire first, in the order they were armed.
//
// # Callbacks inside Advance
//
// A callback may Schedule and Cancel any timer, its own included. A timer armed while Advance
// runs never fires in that same Advance, even when it is already due: it fires in the next one
// (and NextDeadline returns the present meanwhile, so the loop does not sleep). Each Advance
// therefore runs each timer at most once and does work bounded by the timers pending when it
// began; a callback that schedules itself with no delay runs once per loop turn, not forever.
//
// # Repeating timers
//
// ScheduleAtFixedRate computes each deadline from the previous deadline, never from when the
// callback ran, so a repeating timer does not drift. When the loop falls behind by several
// periods the missed runs are caught up, one per Advance, until the timer is on time again:
// this is what Netty's scheduleAtFixedRate and Java's ScheduledExecutorService do, and what
// users of a fixed rate count on (n periods elapsed means n runs, for a rate meter or a
// heartbeat counter). One run per Advance lets the loop serve its connections between two
// late runs instead of running them all at once after a stall.
package timerwheel
