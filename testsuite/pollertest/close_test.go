package pollertest

import (
	"errors"
	"sync"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCloseStopsPollingAndReleasesEveryDescriptor(t *testing.T) {
	tests := []struct {
		name string
		// stopPolling runs Polling on p and makes Close stop it; it returns Polling's error.
		// spare is a connection opened before the descriptors were counted.
		stopPolling func(t *testing.T, p netpoll.Poller, spare *connection) error
	}{
		{
			name: "before Polling starts",
			stopPolling: func(t *testing.T, p netpoll.Poller, spare *connection) error {
				require.NoError(t, p.Close())
				return pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })
			},
		},
		{
			name: "from another goroutine while polling",
			stopPolling: func(t *testing.T, p netpoll.Poller, spare *connection) error {
				running := make(chan struct{})
				require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error {
					close(running)
					return nil
				}, nil))
				polled := make(chan error, 1)
				go func() { polled <- p.Polling(func(netpoll.Token, netpoll.Event) error { return nil }, nil) }()
				<-running
				require.NoError(t, p.Close())
				return <-polled
			},
		},
		{
			name: "from inside a task",
			stopPolling: func(t *testing.T, p netpoll.Poller, spare *connection) error {
				require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error { return p.Close() }, nil))
				return pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })
			},
		},
		{
			name: "from inside a callback",
			stopPolling: func(t *testing.T, p netpoll.Poller, spare *connection) error {
				require.NoError(t, p.Register(spare.local, netpoll.Token(spare.local), netpoll.EventWrite))
				return pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return p.Close() })
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spare := socketPair(t)
			descriptorsBefore, countable := openDescriptorCount(t)

			p := openPoller(t, netpoll.Options{})
			err := tc.stopPolling(t, p, spare)

			assert.ErrorIs(t, err, netpoll.ErrPollerClosed, "Polling's result")
			assert.ErrorIs(t, p.Trigger(netpoll.PriorityNormal, func(any) error { return nil }, nil),
				netpoll.ErrPollerClosed, "Trigger after Close")
			assert.NoError(t, p.Close(), "second Close")
			assert.Error(t, p.Register(spare.local, netpoll.Token(spare.local), netpoll.EventRead), "Register after Close")
			assert.Error(t, p.Reregister(spare.local, netpoll.Token(spare.local), netpoll.EventRead|netpoll.EventWrite), "Reregister after Close")
			assert.Error(t, p.Deregister(spare.local), "Deregister after Close")
			if countable {
				descriptorsAfter, _ := openDescriptorCount(t)
				assert.Equal(t, descriptorsBefore, descriptorsAfter, "descriptors open before Open and after Close")
			}
		})
	}
}

func TestTriggersRacingWithCloseEitherSucceedOrReportClosed(t *testing.T) {
	const producers = 4
	p := openPoller(t, netpoll.Options{})
	ran := 0
	run := func(any) error {
		ran++
		if ran == 1000 {
			return p.Close()
		}
		return nil
	}

	unexpected := make([]error, producers)
	var producing sync.WaitGroup
	for producer := range producers {
		producing.Go(func() {
			// Bounded: Close comes after the first thousand tasks at the latest.
			for range 10_000_000 {
				err := p.Trigger(netpoll.PriorityNormal, run, nil)
				if errors.Is(err, netpoll.ErrPollerClosed) {
					return
				}
				if err != nil {
					unexpected[producer] = err
					return
				}
			}
			unexpected[producer] = errors.New("Trigger never reported the poller closed")
		})
	}
	err := pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })
	producing.Wait()

	assert.ErrorIs(t, err, netpoll.ErrPollerClosed)
	for producer, err := range unexpected {
		assert.NoError(t, err, "producer %d", producer)
	}
}
