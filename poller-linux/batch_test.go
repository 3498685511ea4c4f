//go:build linux

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEventBatchDoublesWhenAWaitFillsItUpToSixtyFourTimesItsSize(t *testing.T) {
	// The iterations are driven by wake-ups, so the eventfd is ready at each of them too.
	tests := []struct {
		name         string
		eventBatch   int
		writableFDs  int
		wantCapacity int
	}{
		{name: "never full", eventBatch: 8, writableFDs: 3, wantCapacity: 8},
		{name: "grows until one wait has room", eventBatch: 1, writableFDs: 2, wantCapacity: 4},
		{name: "stops at 64 times", eventBatch: 1, writableFDs: 100, wantCapacity: 64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openForTest(t, netpoll.Options{EventBatch: tc.eventBatch})
			for range tc.writableFDs / 2 {
				local, peer := socketPairForTest(t)
				require.NoError(t, p.AddWrite(local))
				require.NoError(t, p.AddWrite(peer))
			}
			if tc.writableFDs%2 == 1 {
				local, _ := socketPairForTest(t)
				require.NoError(t, p.AddWrite(local))
			}

			// Ten iterations are enough for the six doublings from 1 to 64.
			pollIterations(t, p, 10, func(int, netpoll.Event) error { return nil })

			assert.Equal(t, tc.wantCapacity, len(p.events))
		})
	}
}
