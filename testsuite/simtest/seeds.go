package simtest

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"time"
)

// Running many seeds, checking that the process gives back every goroutine and descriptor
// between batches, and shrinking a failing scenario.

// Summary is what RunSeeds did.
type Summary struct {
	Counts   Counts
	Failures []Result // the first failing run of each failed seed
	Leaks    []string // batches after which goroutines or descriptors were not given back
}

// RunSeeds runs n seeds from base, each on a server of its own, at most parallel at once (1
// when faults are injected, since the seam is process-wide). After each batch it checks that
// the process is back to the goroutines and descriptors it had before. each, when not nil,
// hears every result as it comes.
func RunSeeds(base uint64, n, parallel int, each func(Result)) Summary {
	if FaultsEnabled || parallel < 1 {
		parallel = 1
	}
	var sum Summary
	warmUp()
	before := countResources()
	for start := 0; start < n; start += parallel {
		batch := min(parallel, n-start)
		results := make([]Result, batch)
		var wg sync.WaitGroup
		for i := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = Run(Generate(base + uint64(start+i)))
			}()
		}
		wg.Wait()
		for _, r := range results {
			sum.Counts.Add(r.Counts)
			if r.Failed() {
				sum.Failures = append(sum.Failures, r)
			}
			if each != nil {
				each(r)
			}
		}
		if leak := settleResources(before); leak != "" {
			sum.Leaks = append(sum.Leaks, fmt.Sprintf("after seeds %#x–%#x: %s", base+uint64(start), base+uint64(start+batch-1), leak))
			before = countResources() // report each leak once
		}
	}
	return sum
}

// warmUp makes the Go runtime open its own network poller, which it keeps for the life of the
// process, so that the first seed is not blamed for its descriptors.
func warmUp() {
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		_ = ln.Close() // only opened to start the runtime's poller
	}
}

// resources counts what a stopped server must give back.
type resources struct{ goroutines, fds int }

func countResources() resources {
	fds := -1
	if entries, err := os.ReadDir("/proc/self/fd"); err == nil {
		fds = len(entries)
	} else if entries, err := os.ReadDir("/dev/fd"); err == nil {
		fds = len(entries)
	}
	return resources{goroutines: runtime.NumGoroutine(), fds: fds}
}

// settleResources waits, at most two seconds, for the process to be back to before; it
// describes what is left over otherwise.
func settleResources(before resources) string {
	deadline := time.Now().Add(2 * time.Second)
	for {
		now := countResources()
		if now.goroutines <= before.goroutines && now.fds <= before.fds {
			return ""
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			return fmt.Sprintf("%d goroutines and %d descriptors before, %d and %d after\n%s", before.goroutines, before.fds, now.goroutines, now.fds, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// FailsIn reports whether s fails in any of tries runs: scheduling varies from run to run.
func FailsIn(s Scenario, tries int) (Result, bool) {
	var last Result
	for range tries {
		last = Run(s)
		if last.Failed() {
			return last, true
		}
	}
	return last, false
}

// Shrink reduces a failing scenario by delta debugging: first its connections, then each
// connection's operations, then the fault rules, keeping a candidate when it still fails in
// one of three runs. It stops after budget runs and returns the smallest failing scenario it
// found and the runs it took.
func Shrink(s Scenario, budget int) (Scenario, int) {
	runs := 0
	fails := func(c Scenario) bool {
		if runs >= budget {
			return false
		}
		for range 3 {
			runs++
			if Run(c).Failed() {
				return true
			}
			if runs >= budget {
				return false
			}
		}
		return false
	}
	// connections
	s.Conns = ddmin(s.Conns, func(cs []ConnScript) bool {
		if len(cs) == 0 {
			return false
		}
		c := s
		c.Conns = cs
		return fails(c)
	})
	// each connection's operations
	for i := range s.Conns {
		type indexed struct {
			op  Op
			idx int
		}
		var ops []indexed
		for j, op := range s.Conns[i].Ops {
			ops = append(ops, indexed{op, s.Conns[i].OpIndex[j]})
		}
		build := func(list []indexed) Scenario {
			c := s
			c.Conns = append([]ConnScript(nil), s.Conns...)
			cs := c.Conns[i]
			cs.Ops, cs.OpIndex = nil, nil
			for _, x := range list {
				cs.Ops = append(cs.Ops, x.op)
				cs.OpIndex = append(cs.OpIndex, x.idx)
			}
			c.Conns[i] = cs
			return c
		}
		kept := ddmin(ops, func(list []indexed) bool { return fails(build(list)) })
		s = build(kept)
	}
	// fault rules
	s.Faults = ddmin(s.Faults, func(fs []FaultRule) bool {
		c := s
		c.Faults = fs
		return fails(c)
	})
	return s, runs
}

// ddmin returns a smaller list for which fails still holds, removing chunks of halving size
// (Zeller's delta debugging, complements only).
func ddmin[T any](list []T, fails func([]T) bool) []T {
	chunks := 2
	for len(list) > 0 {
		if chunks > len(list) {
			chunks = len(list)
		}
		size := (len(list) + chunks - 1) / chunks
		reduced := false
		for start := 0; start < len(list); start += size {
			end := min(start+size, len(list))
			cand := append(append([]T(nil), list[:start]...), list[end:]...)
			if fails(cand) {
				list = cand
				chunks = max(chunks-1, 2)
				reduced = true
				break
			}
		}
		if reduced {
			continue
		}
		if chunks >= len(list) {
			break
		}
		chunks = min(chunks*2, len(list))
	}
	return list
}
