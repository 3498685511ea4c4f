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

func TestDispatchReportsTheEventfdAsAWakeupAndEveryOtherTokenToTheCallback(t *testing.T) {
	type callback struct {
		token netpoll.Token
		ev    netpoll.Event
	}
	wake := withToken(unix.EPOLLIN, netpoll.ReservedToken)
	tests := []struct {
		name          string
		ready         []unix.EpollEvent
		stopAfter     int // callbacks after which Close is seen; 0: never
		wantCallbacks []callback
		wantWoken     bool
	}{
		{
			name:          "descriptors only",
			ready:         []unix.EpollEvent{withToken(unix.EPOLLIN, 5), withToken(unix.EPOLLOUT, 7<<32|6)},
			wantCallbacks: []callback{{token: 5, ev: netpoll.EventRead}, {token: 7<<32 | 6, ev: netpoll.EventWrite}},
		},
		{
			name:          "eventfd between descriptors",
			ready:         []unix.EpollEvent{withToken(unix.EPOLLIN, 5), wake, withToken(unix.EPOLLOUT, 6)},
			wantCallbacks: []callback{{token: 5, ev: netpoll.EventRead}, {token: 6, ev: netpoll.EventWrite}},
			wantWoken:     true,
		},
		{
			name:          "closed by the first callback",
			ready:         []unix.EpollEvent{withToken(unix.EPOLLIN, 5), wake, withToken(unix.EPOLLIN, 6)},
			stopAfter:     1,
			wantCallbacks: []callback{{token: 5, ev: netpoll.EventRead}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := &epoll{epfd: -1, wakefd: -1}
			var stop atomic.Bool
			var got []callback
			record := func(token netpoll.Token, ev netpoll.Event) error {
				got = append(got, callback{token: token, ev: ev})
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

func TestTokensRoundTripThroughTheEventDataWhole(t *testing.T) {
	for _, token := range []netpoll.Token{0, 1, 1<<32 - 1, 1 << 32, 0xdeadbeef<<32 | 0x12345678, netpoll.ReservedToken} {
		ev := withToken(unix.EPOLLIN, token)
		assert.Equal(t, token, tokenOf(&ev))
	}
}

// withToken returns an event with the given bits and token.
func withToken(bits uint32, token netpoll.Token) unix.EpollEvent {
	ev := unix.EpollEvent{Events: bits}
	setToken(&ev, token)
	return ev
}
