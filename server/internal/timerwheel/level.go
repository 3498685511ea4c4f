package timerwheel

import "math/bits"

// Each level cuts tick numbers into one more 6-bit group: level 0 looks at bits 0-5, level 1
// at bits 6-11, and so on; 11 levels cover all 64 bits of a tick number.
const (
	levelBits     = 6
	slotsPerLevel = 1 << levelBits // 64, so that a level's occupancy is one uint64
	levels        = (64 + levelBits - 1) / levelBits
)

// Where a timer goes: with cur the wheel's current tick and e > cur the timer's expiry tick,
// the timer's level is that of the highest group in which e and cur differ, and its slot is
// e's value in that group. Invariant, for every timer on the levels: e and cur agree on every
// group above the timer's level and e's group at its level is greater than cur's. Hence a timer
// on level l expires after every timer below l, the slots of one level are in order of time,
// and the earliest timer is in the lowest occupied slot of the lowest occupied level. The
// invariant survives cur moving forward to any tick before the start of the earliest occupied
// slot, which is how Advance moves it.

// levelOf returns the level for a timer expiring at tick e, which must differ from cur.
func levelOf(e, cur uint64) int {
	return (bits.Len64(e^cur) - 1) / levelBits
}

// insert files node i, expiring at tick e > w.cur, in its slot, and keeps the slot's minimum
// expiry tick, which NextDeadline reports.
//
// hot path: no allocation
func (w *Wheel) insert(i uint32, n *node, e uint64) {
	l := levelOf(e, w.cur)
	slot := l*slotsPerLevel + int(e>>(levelBits*l)&(slotsPerLevel-1))
	where := whereSlots + uint16(slot)
	if w.heads[where] == nilIndex || e < w.slotMin[slot] {
		w.slotMin[slot] = e
	}
	w.link(i, n, where)
}

// firstSlot returns the earliest occupied slot: its level and its index on that level.
//
// hot path: no allocation
func (w *Wheel) firstSlot() (level, index int, ok bool) {
	if w.occupiedLevels == 0 {
		return 0, 0, false
	}
	level = bits.TrailingZeros16(w.occupiedLevels)
	return level, bits.TrailingZeros64(w.occupied[level]), true
}

// slotStart returns the first tick that slot index of level spans, given the current tick:
// cur's groups above the level, index at the level, zero below. (Shifts of 64 or more give 0
// in Go, which is right for the top level.)
func (w *Wheel) slotStart(level, index int) uint64 {
	shift := uint(levelBits * level)
	above := w.cur >> (shift + levelBits) << (shift + levelBits)
	return above | uint64(index)<<shift
}
