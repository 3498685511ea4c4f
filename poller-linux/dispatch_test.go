//go:build linux

package poller

import (
	"sync/atomic"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestDispatchReportsTheEventfdAsAWakeupAndEveryOtherDescriptorToTheCallback(t *testing.T) {
	const wakefd = 9
	type callback struct {
		fd int
		ev netpoll.Event
	}
	tests := []struct {
		name          string
		ready         []unix.EpollEvent
		stopAfter     int // callbacks after which Close is seen; 0: never
		wantCallbacks []callback
		wantWoken     bool
	}{
		{
			name:          "descriptors only",
			ready:         []unix.EpollEvent{{Events: unix.EPOLLIN, Fd: 5}, {Events: unix.EPOLLOUT, Fd: 6}},
			wantCallbacks: []callback{{fd: 5, ev: netpoll.EventRead}, {fd: 6, ev: netpoll.EventWrite}},
		},
		{
			name:          "eventfd between descriptors",
			ready:         []unix.EpollEvent{{Events: unix.EPOLLIN, Fd: 5}, {Events: unix.EPOLLIN, Fd: wakefd}, {Events: unix.EPOLLOUT, Fd: 6}},
			wantCallbacks: []callback{{fd: 5, ev: netpoll.EventRead}, {fd: 6, ev: netpoll.EventWrite}},
			wantWoken:     true,
		},
		{
			name:          "closed by the first callback",
			ready:         []unix.EpollEvent{{Events: unix.EPOLLIN, Fd: 5}, {Events: unix.EPOLLIN, Fd: wakefd}, {Events: unix.EPOLLIN, Fd: 6}},
			stopAfter:     1,
			wantCallbacks: []callback{{fd: 5, ev: netpoll.EventRead}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := &epoll{epfd: -1, wakefd: wakefd}
			var stop atomic.Bool
			var got []callback
			record := func(fd int, ev netpoll.Event) error {
				got = append(got, callback{fd: fd, ev: ev})
				stop.Store(len(got) == tc.stopAfter)
				return nil
			}

			woken, err := k.Dispatch(tc.ready, record, &stop)

			require.NoError(t, err)
			assert.Equal(t, tc.wantWoken, woken)
			assert.Equal(t, tc.wantCallbacks, got)
		})
	}
}
