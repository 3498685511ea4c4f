package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInterestChangesTakeEffectAtTheNextIteration(t *testing.T) {
	const iterations = 3
	tests := []struct {
		name        string
		dataPending bool
		register    func(p netpoll.Poller, fd int) error
		change      func(p netpoll.Poller, fd int) error
		wantBefore  netpoll.Event
		wantAfter   netpoll.Event
	}{
		{
			name:       "ModRead stops EventWrite",
			register:   netpoll.Poller.AddReadWrite,
			change:     netpoll.Poller.ModRead,
			wantBefore: netpoll.EventWrite,
			wantAfter:  0,
		},
		{
			name:       "ModReadWrite starts EventWrite",
			register:   netpoll.Poller.AddRead,
			change:     netpoll.Poller.ModReadWrite,
			wantBefore: 0,
			wantAfter:  netpoll.EventWrite,
		},
		{
			name:        "ModWrite stops EventRead",
			dataPending: true,
			register:    netpoll.Poller.AddReadWrite,
			change:      netpoll.Poller.ModWrite,
			wantBefore:  netpoll.EventRead | netpoll.EventWrite,
			wantAfter:   netpoll.EventWrite,
		},
		{
			name:        "ModRead after AddWrite starts EventRead",
			dataPending: true,
			register:    netpoll.Poller.AddWrite,
			change:      netpoll.Poller.ModRead,
			wantBefore:  netpoll.EventWrite,
			wantAfter:   netpoll.EventRead,
		},
		{
			name:        "Delete stops every event",
			dataPending: true,
			register:    netpoll.Poller.AddReadWrite,
			change:      netpoll.Poller.Delete,
			wantBefore:  netpoll.EventRead | netpoll.EventWrite,
			wantAfter:   0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := socketPair(t)
			if tc.dataPending {
				writeAll(t, conn.peer, []byte("pending"))
			}
			require.NoError(t, tc.register(p, conn.local))

			before := pollIterations(t, p, iterations)
			require.NoError(t, tc.change(p, conn.local))
			after := pollIterations(t, p, iterations)

			assert.Equal(t, tc.wantBefore, unionFor(before, conn.local), "before the change")
			assert.Equal(t, tc.wantAfter, unionFor(after, conn.local), "after the change")
		})
	}
}

func TestReadinessIsReportedOnceUntilDrainedInEdgeModeAndEveryIterationInLevelMode(t *testing.T) {
	const iterations = 4
	tests := []struct {
		name                    string
		edgeTriggered           bool
		wantReportsOfOneArrival int
	}{
		{name: "level-triggered", edgeTriggered: false, wantReportsOfOneArrival: iterations},
		{name: "edge-triggered", edgeTriggered: true, wantReportsOfOneArrival: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{EdgeTriggered: tc.edgeTriggered})
			conn := socketPair(t)
			writeAll(t, conn.peer, []byte("first"))
			require.NoError(t, p.AddRead(conn.local))

			first := pollIterations(t, p, iterations)
			require.Equal(t, len("first"), drain(t, conn.local))
			writeAll(t, conn.peer, []byte("second"))
			second := pollIterations(t, p, iterations)

			assert.Equal(t, tc.wantReportsOfOneArrival, countFor(first, conn.local, netpoll.EventRead),
				"reports of the first arrival, left undrained")
			assert.Equal(t, tc.wantReportsOfOneArrival, countFor(second, conn.local, netpoll.EventRead),
				"reports of a new arrival after draining")
		})
	}
}
