package main

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fillWindow issues a datagram from every free slot of w at now and returns the sequence
// number each slot awaits, by slot.
func fillWindow(w *udpWindow, now time.Duration) map[uint32]uint64 {
	issued := map[uint32]uint64{}
	for {
		slot, ok := w.popFree()
		if !ok {
			return issued
		}
		issued[slot] = w.issue(slot, now)
	}
}

func TestUDPWindowStartsWithEverySlotFreeAndNumbersDatagramsInOrder(t *testing.T) {
	w := newUDPWindow(4)

	issued := fillWindow(w, 0)

	assert.Equal(t, map[uint32]uint64{0: 0, 1: 1, 2: 2, 3: 3}, issued)
	_, ok := w.popFree()
	assert.False(t, ok, "a full window has no free slot")
}

func TestUDPWindowSettlesEveryKindOfReply(t *testing.T) {
	tests := []struct {
		name string
		// prepare runs on a full window of 4 slots whose datagrams were sent at 0 (slot s
		// awaits sequence number s), and returns the reply to settle at 10 ms.
		prepare     func(w *udpWindow) (slot uint32, seq uint64)
		wantVerdict verdict
		wantRTT     time.Duration
		wantFree    int
	}{
		{
			name:        "the awaited datagram frees its slot and measures the round trip",
			prepare:     func(*udpWindow) (uint32, uint64) { return 2, 2 },
			wantVerdict: verdictAnswered, wantRTT: 10 * time.Millisecond, wantFree: 1,
		},
		{
			name: "an answered datagram answered again is a duplicate",
			prepare: func(w *udpWindow) (uint32, uint64) {
				w.settle(1, 1, time.Millisecond)
				return 1, 1
			},
			wantVerdict: verdictDuplicate, wantFree: 1,
		},
		{
			name: "a duplicate is caught after its slot sent the next datagram",
			prepare: func(w *udpWindow) (uint32, uint64) {
				w.settle(1, 1, time.Millisecond)
				fillWindow(w, time.Millisecond)
				return 1, 1
			},
			wantVerdict: verdictDuplicate, wantFree: 0,
		},
		{
			name: "a datagram counted lost and answered afterwards is late",
			prepare: func(w *udpWindow) (uint32, uint64) {
				w.expire(5*time.Millisecond, 5*time.Millisecond)
				fillWindow(w, 5*time.Millisecond)
				return 3, 3
			},
			wantVerdict: verdictLate, wantFree: 0,
		},
		{
			name: "a late datagram answered a second time is a duplicate",
			prepare: func(w *udpWindow) (uint32, uint64) {
				w.expire(5*time.Millisecond, 5*time.Millisecond)
				w.settle(3, 3, 6*time.Millisecond)
				return 3, 3
			},
			wantVerdict: verdictDuplicate, wantFree: 4,
		},
		{
			name:        "a sequence number not issued yet was never sent",
			prepare:     func(*udpWindow) (uint32, uint64) { return 0, 4 },
			wantVerdict: verdictNeverSent, wantFree: 0,
		},
		{
			name:        "an awaited datagram named with another slot is a fault",
			prepare:     func(*udpWindow) (uint32, uint64) { return 0, 3 },
			wantVerdict: verdictWrongSlot, wantFree: 0,
		},
		{
			name:        "a slot beyond the window is a fault",
			prepare:     func(*udpWindow) (uint32, uint64) { return 4000, 3 },
			wantVerdict: verdictWrongSlot, wantFree: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newUDPWindow(4)
			fillWindow(w, 0)
			slot, seq := tt.prepare(w)

			got, rtt := w.settle(slot, seq, 10*time.Millisecond)

			assert.Equal(t, tt.wantVerdict, got)
			assert.Equal(t, tt.wantRTT, rtt)
			assert.Len(t, w.free, tt.wantFree)
		})
	}
}

func TestUDPWindowExpiresOnlyDatagramsAwaitedForTheTimeout(t *testing.T) {
	w := newUDPWindow(3)
	w.issue(mustPop(t, w), 0)
	w.issue(mustPop(t, w), 4*time.Millisecond)
	w.issue(mustPop(t, w), 8*time.Millisecond)

	assert.Equal(t, 1, w.expire(10*time.Millisecond, 7*time.Millisecond))
	assert.Equal(t, 0, w.expire(10*time.Millisecond, 7*time.Millisecond), "a lost datagram is counted once")
	assert.Equal(t, 2, w.expire(time.Second, 7*time.Millisecond))

	refilled := fillWindow(w, time.Second)
	assert.Len(t, refilled, 3, "every slot of a lost datagram is refilled")
	assert.Equal(t, []uint64{3, 4, 5}, slices.Sorted(maps.Values(refilled)))
}

func TestUDPWindowCountsRepliesTooOldToRememberAsLate(t *testing.T) {
	w := newUDPWindow(2)
	require.Equal(t, uint64(0), w.issue(mustPop(t, w), 0), "slot 0 awaits 0 for ever")
	for i := range udpHistoryLen + 10 {
		slot := mustPop(t, w)
		seq := w.issue(slot, time.Duration(i))
		verdict, _ := w.settle(slot, seq, time.Duration(i))
		require.Equal(t, verdictAnswered, verdict)
	}

	got, _ := w.settle(1, 1, time.Hour)
	assert.Equal(t, verdictLate, got, "a reply older than the history cannot be told a duplicate")
	got, rtt := w.settle(0, 0, time.Hour)
	assert.Equal(t, verdictAnswered, got, "an old datagram still awaited in its slot is answered")
	assert.Equal(t, time.Hour, rtt)
}

func TestUDPWindowSettleDoesNotAllocate(t *testing.T) {
	w := newUDPWindow(8)
	allocs := testing.AllocsPerRun(100, func() {
		slot, _ := w.popFree()
		seq := w.issue(slot, time.Millisecond)
		w.settle(slot, seq, 2*time.Millisecond)
	})
	assert.Zero(t, allocs)
}

func mustPop(t *testing.T, w *udpWindow) uint32 {
	t.Helper()
	slot, ok := w.popFree()
	require.True(t, ok, "a free slot")
	return slot
}
