package pollertest

import (
	"errors"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorFromCallbackOrTaskStopsPollingAndIsReturned(t *testing.T) {
	errFailure := errors.New("pollertest: failure")
	fail := func(any) error { return errFailure }
	tests := []struct {
		name      string
		provoke   func(t *testing.T, p netpoll.Poller, conn *connection)
		failsInIO bool
	}{
		{
			name: "callback",
			provoke: func(t *testing.T, p netpoll.Poller, conn *connection) {
				writeAll(t, conn.peer, []byte("x"))
			},
			failsInIO: true,
		},
		{
			name: "normal task",
			provoke: func(t *testing.T, p netpoll.Poller, conn *connection) {
				require.NoError(t, p.Trigger(netpoll.PriorityNormal, fail, nil))
			},
		},
		{
			name: "urgent task",
			provoke: func(t *testing.T, p netpoll.Poller, conn *connection) {
				require.NoError(t, p.Trigger(netpoll.PriorityUrgent, fail, nil))
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := socketPair(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))
			tc.provoke(t, p, conn)

			err := pollWithWatchdog(t, p, func(token netpoll.Token, ev netpoll.Event) error {
				fd := int(token)
				if tc.failsInIO && fd == conn.local {
					return errFailure
				}
				return nil
			})

			assert.ErrorIs(t, err, errFailure)
		})
	}
}

func TestTasksStillQueuedWhenPollingReturnsAreDropped(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	errFailure := errors.New("pollertest: failure")
	droppedRan := false
	require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error { return errFailure }, nil))
	require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error { droppedRan = true; return nil }, nil))

	err := pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })
	pollIterations(t, p, 2)

	assert.ErrorIs(t, err, errFailure)
	assert.False(t, droppedRan, "a task queued behind the failing one ran after Polling returned")
}
