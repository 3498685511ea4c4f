package gid

import (
	"runtime"
	"sync"
	"testing"
)

// identityFuncs are the two ways this package identifies goroutines: the one this architecture
// uses, and the portable one, tested here on every architecture so that it stays correct for
// those that need it.
var identityFuncs = []struct {
	name    string
	current func() uint64
}{
	{name: "Current", current: Current},
	{name: "fromStack", current: fromStack},
}

func TestIdentityIsStableWithinAGoroutineAndDistinctAcrossLiveOnes(t *testing.T) {
	for _, f := range identityFuncs {
		t.Run(f.name, func(t *testing.T) {
			const n = 64
			ids := make([]uint64, n)
			var ready, release sync.WaitGroup
			ready.Add(n)
			release.Add(1)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					first := f.current()
					ids[i] = first
					ready.Done()
					release.Wait() // keep every goroutine alive while the ids are compared
					runtime.Gosched()
					if f.current() != first {
						t.Errorf("goroutine %d: identity changed", i)
					}
				}()
			}
			ready.Wait()
			seen := make(map[uint64]bool, n)
			main := f.current()
			if main == 0 {
				t.Errorf("the test goroutine's identity is zero")
			}
			for i, id := range ids {
				if id == 0 || id == main || seen[id] {
					t.Errorf("goroutine %d: identity %#x is zero, the test goroutine's, or shared", i, id)
				}
				seen[id] = true
			}
			release.Done()
			wg.Wait()
		})
	}
}

func TestParseGoroutineNumber(t *testing.T) {
	cases := []struct {
		header string
		want   uint64
	}{
		{header: "goroutine 1 [running]:\n", want: 1},
		{header: "goroutine 18446744073709551 [", want: 18446744073709551},
		{header: "goroutine  [running]", want: 0},
		{header: "goroutin", want: 0},
		{header: "", want: 0},
		{header: "thread 7 [running]", want: 0},
	}
	for _, tc := range cases {
		if got := parseGoroutineNumber([]byte(tc.header)); got != tc.want {
			t.Errorf("parseGoroutineNumber(%q) = %d, want %d", tc.header, got, tc.want)
		}
	}
}

func BenchmarkCurrent(b *testing.B) {
	var sink uint64
	for b.Loop() {
		sink += Current()
	}
	_ = sink
}

func BenchmarkFromStack(b *testing.B) {
	var sink uint64
	for b.Loop() {
		sink += fromStack()
	}
	_ = sink
}
