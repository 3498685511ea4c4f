package timerwheel

import (
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// bytesPerPendingTimer returns how much the heap grows per timer when n timers are pending in
// a new wheel, the wheel itself included.
func bytesPerPendingTimer(n int) float64 {
	c := &counter{}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	w := New(0, time.Millisecond)
	fillFarAway(w, n, c)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(w)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

func TestMillionPendingTimersCostAboutOneNodeEach(t *testing.T) {
	const n = 1_000_000
	perTimer := bytesPerPendingTimer(n)
	nodeSize := float64(unsafe.Sizeof(node{}))
	t.Logf("%d pending timers: %.1f bytes each (node: %.0f bytes)", n, perTimer, nodeSize)
	// Pages are rounded up to the allocator's size classes (up to 9 % on 32-bit platforms);
	// anything well past that would be memory the design does not account for.
	if perTimer > 1.15*nodeSize {
		t.Fatalf("%.1f bytes per pending timer, more than 1.15 nodes of %.0f bytes", perTimer, nodeSize)
	}
}
