package buffer

import (
	"math"
	"testing"
	"unsafe"
)

func TestGetRoundsCapacityUpToItsSizeClass(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		wantCap int
	}{
		{name: "one byte takes the smallest class", size: 1, wantCap: MinPooledSize},
		{name: "exact smallest class", size: MinPooledSize, wantCap: MinPooledSize},
		{name: "one past a class takes the next", size: MinPooledSize + 1, wantCap: 2 * MinPooledSize},
		{name: "between classes", size: 1000, wantCap: 1024},
		{name: "chunk size", size: 16 << 10, wantCap: 16 << 10},
		{name: "largest class", size: MaxPooledSize, wantCap: MaxPooledSize},
		{name: "oversize is allocated exactly", size: MaxPooledSize + 1, wantCap: MaxPooledSize + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Get(tt.size)
			if len(b) != tt.size || cap(b) != tt.wantCap {
				t.Fatalf("Get(%d): len %d cap %d, want len %d cap %d", tt.size, len(b), cap(b), tt.size, tt.wantCap)
			}
			Put(b)
		})
	}
}

func TestGetReturnsNilForNonPositiveSize(t *testing.T) {
	for _, size := range []int{0, -1, math.MinInt} {
		if b := Get(size); b != nil {
			t.Fatalf("Get(%d) = len %d cap %d, want nil", size, len(b), cap(b))
		}
	}
}

func TestPutMakesTheArrayAvailableToGetOfTheSameClass(t *testing.T) {
	// sync.Pool promises nothing (a garbage collection or the race detector may drop a
	// value), so the array has to come back at least once in a bounded number of tries.
	const tries = 100
	for range tries {
		b := Get(300)
		Put(b)
		again := Get(257)
		reused := unsafe.SliceData(again) == unsafe.SliceData(b)
		if reused && cap(again) != 512 {
			t.Fatalf("reused array has cap %d, want 512", cap(again))
		}
		Put(again)
		if reused {
			return
		}
	}
	t.Fatalf("no array was reused in %d Put/Get pairs", tries)
}

func TestPutDropsSlicesWhoseCapacityIsNotAPooledClass(t *testing.T) {
	tests := []struct {
		name  string
		slice []byte
	}{
		{name: "below the smallest class", slice: make([]byte, 32)},
		{name: "not a power of two", slice: make([]byte, 96)},
		{name: "above the largest class", slice: make([]byte, 2*MaxPooledSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Put(tt.slice)
			for _, size := range []int{len(tt.slice) / 2, len(tt.slice), len(tt.slice) + 1} {
				b := Get(size)
				if len(b) > 0 && unsafe.SliceData(b) == unsafe.SliceData(tt.slice) {
					t.Fatalf("Get(%d) handed out a dropped slice of cap %d", size, cap(tt.slice))
				}
			}
		})
	}
}

func TestPoolGetPutDoNotAllocateOnceWarm(t *testing.T) {
	if raceDetectorOn {
		t.Skip("the race detector makes sync.Pool drop values on purpose")
	}
	Put(Get(4096))
	allocs := testing.AllocsPerRun(1000, func() { Put(Get(4096)) })
	if allocs != 0 {
		t.Fatalf("Get+Put allocated %v times per run, want 0", allocs)
	}
}

func BenchmarkPoolGetPut(b *testing.B) {
	for _, size := range []int{64, 16 << 10, 1 << 20} {
		b.Run(byteCount(size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Put(Get(size))
			}
		})
	}
}
