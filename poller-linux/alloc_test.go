//go:build linux

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTriggerAndTaskDrainAllocateNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop nodes at random")
	}
	p := openForTest(t, netpoll.Options{})
	arg := &struct{ calls int }{}
	fn := func(a any) error {
		a.(*struct{ calls int }).calls++
		return nil
	}

	allocs := testing.AllocsPerRun(1000, func() {
		require.NoError(t, p.Trigger(netpoll.PriorityNormal, fn, arg))
		require.NoError(t, p.Trigger(netpoll.PriorityUrgent, fn, arg))
		_, err := p.runTasks()
		require.NoError(t, err)
	})

	assert.Zero(t, allocs)
	assert.Equal(t, 2*1001, arg.calls, "AllocsPerRun runs the function once more to warm up")
}
