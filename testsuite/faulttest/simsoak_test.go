//go:build gnetfaults

package faulttest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/simtest"
)

// maxSoakSeeds bounds a randomized soak's seeds whatever its duration; a seed takes a good
// fraction of a second.
const maxSoakSeeds = 100_000

// Not parallel: it samples the process's goroutines, descriptors and heap, and each run
// installs its seed's faults process-wide.
func TestSoakOfRandomizedRunsUnderFaultsKeepsEveryInvariantAndGrowsNothing(t *testing.T) {
	duration := soakDuration(t)
	base := uint64(time.Now().UnixNano())
	before := testutil.Snapshot(t)
	var counts simtest.Counts
	var failures []string
	var first, last []soakSample
	start := time.Now()
	for seed := base; seed < base+maxSoakSeeds && time.Since(start) < duration; seed++ {
		r := simtest.Run(simtest.Generate(seed))
		counts.Add(r.Counts)
		if r.Failed() {
			failures = append(failures, r.Report()+"\n"+simtest.ReplayCommand(r.Scenario))
		}
		sample := takeSoakSample(t)
		switch elapsed := time.Since(start); {
		case elapsed < duration/5:
			first = append(first, sample)
		case elapsed >= duration-duration/5:
			last = append(last, sample)
		}
	}

	require.Empty(t, failures, "seeds from %#x", base)
	require.NotEmpty(t, first)
	require.NotEmpty(t, last)
	early, late := peak(first), peak(last)
	require.LessOrEqual(t, late.goroutines, early.goroutines+soakGoroutineGrowth, "goroutines grew")
	require.LessOrEqual(t, late.fds, early.fds+soakFDGrowth, "descriptors grew")
	require.LessOrEqual(t, late.heapInUse, early.heapInUse+soakHeapGrowth, "heap in use grew")
	testutil.RequireNoLeaks(t, before)
	t.Logf("randomized soak %v from seed %#x: %d seeds, %d connections, %d operations, %d messages and %d records checked (%.2f MB), "+
		"%d faults injected in %d calls (%s), 0 violations; peaks first/last fifth: goroutines %d/%d, fds %d/%d, heap in use %.1f/%.1f MB",
		duration, base, counts.Seeds, counts.Conns, counts.Ops, counts.Messages, counts.Records, float64(counts.Bytes)/1e6,
		counts.FaultsTotal, counts.FaultCalls, faultList(counts.Faults),
		early.goroutines, late.goroutines, early.fds, late.fds, float64(early.heapInUse)/1e6, float64(late.heapInUse)/1e6)
}

// faultList prints faults by kind, in a stable order.
func faultList(faults map[string]int) string {
	var b strings.Builder
	for _, kind := range slices.Sorted(maps.Keys(faults)) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", kind, faults[kind])
	}
	return b.String()
}
