package gid

import (
	"sync"
	"testing"
)

func TestCurrentIsStableWithinAGoroutineAndDistinctAcrossLiveOnes(t *testing.T) {
	if !Supported {
		t.Skip("no goroutine identity on this architecture; callers take the queued path")
	}
	const n = 64
	ids := make([]uintptr, n)
	var ready, release sync.WaitGroup
	ready.Add(n)
	release.Add(1)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := Current()
			ids[i] = first
			ready.Done()
			release.Wait() // keep every goroutine alive while the ids are compared
			if Current() != first {
				t.Errorf("goroutine %d: identity changed", i)
			}
		}()
	}
	ready.Wait()
	seen := make(map[uintptr]bool, n)
	main := Current()
	for i, id := range ids {
		if id == 0 || id == main || seen[id] {
			t.Errorf("goroutine %d: identity %#x is zero, the test goroutine's, or shared", i, id)
		}
		seen[id] = true
	}
	release.Done()
	wg.Wait()
}

func BenchmarkCurrent(b *testing.B) {
	var sink uintptr
	for b.Loop() {
		sink += Current()
	}
	_ = sink
}
