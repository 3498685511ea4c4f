package netpoll

import (
	"testing"
	"unsafe"
)

func TestCountersSnapshotLoadsEveryCounter(t *testing.T) {
	var c Counters
	c.Triggers.Add(1)
	c.Wakeups.Add(2)
	c.Tasks.Add(3)
	c.Waits.Add(4)

	got := c.Snapshot()

	want := Stats{Triggers: 1, Wakeups: 2, Tasks: 3, Waits: 4}
	if got != want {
		t.Fatalf("Snapshot() = %+v, want %+v", got, want)
	}
}

func TestCountersKeepProducerAndLoopCountersOnDifferentCacheLines(t *testing.T) {
	var c Counters

	gap := unsafe.Offsetof(c.Tasks) - unsafe.Offsetof(c.Wakeups)

	if gap < cacheLineSize {
		t.Fatalf("Tasks is %d bytes after Wakeups, want at least %d", gap, cacheLineSize)
	}
}
