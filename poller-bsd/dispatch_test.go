//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"sync/atomic"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestDispatchMergesNeighbouringFiltersOfOneDescriptorIntoOneCallback(t *testing.T) {
	// Idents start at 5: a zero wakeup owns ident 0 (EVFILT_USER, or the pipe's read end).
	kevent := func(ident, filter int) unix.Kevent_t {
		var ev unix.Kevent_t
		unix.SetKevent(&ev, ident, filter, 0)
		return ev
	}
	type callback struct {
		token netpoll.Token
		ev    netpoll.Event
	}
	tests := []struct {
		name          string
		ready         []unix.Kevent_t
		wantCallbacks []callback
	}{
		{
			name:          "read and write filters side by side",
			ready:         []unix.Kevent_t{kevent(5, unix.EVFILT_READ), kevent(5, unix.EVFILT_WRITE), kevent(6, unix.EVFILT_READ)},
			wantCallbacks: []callback{{token: 105, ev: netpoll.EventRead | netpoll.EventWrite}, {token: 106, ev: netpoll.EventRead}},
		},
		{
			name:  "filters of one descriptor apart",
			ready: []unix.Kevent_t{kevent(5, unix.EVFILT_READ), kevent(6, unix.EVFILT_WRITE), kevent(5, unix.EVFILT_WRITE)},
			wantCallbacks: []callback{
				{token: 105, ev: netpoll.EventRead}, {token: 106, ev: netpoll.EventWrite}, {token: 105, ev: netpoll.EventWrite},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := &kqueue{kq: -1}
			k.keepToken(netpoll.OpAdd, 5, 105)
			k.keepToken(netpoll.OpAdd, 6, 106)
			k.turn++ // the entries were collected after the registrations
			var stop atomic.Bool
			var got []callback
			record := func(token netpoll.Token, ev netpoll.Event) error {
				got = append(got, callback{token: token, ev: ev})
				return nil
			}

			woken, err := k.Dispatch(tc.ready, record, &stop)

			require.NoError(t, err)
			assert.False(t, woken)
			assert.Equal(t, tc.wantCallbacks, got)
		})
	}
}

func TestDispatchDropsEntriesOfADescriptorRegisteredAgainSinceTheyWereCollected(t *testing.T) {
	var readable unix.Kevent_t
	unix.SetKevent(&readable, 5, unix.EVFILT_READ, 0)
	k := &kqueue{kq: -1}
	k.keepToken(netpoll.OpAdd, 5, 1<<32|5)
	k.turn++ // a wait collects an entry of the first registration of descriptor 5
	// The batch's first callback closes descriptor 5 and an accept reuses its number.
	k.keepToken(netpoll.OpAdd, 5, 2<<32|5)
	var got []netpoll.Token
	record := func(token netpoll.Token, _ netpoll.Event) error {
		got = append(got, token)
		return nil
	}
	var stop atomic.Bool

	_, err := k.Dispatch([]unix.Kevent_t{readable}, record, &stop)
	require.NoError(t, err)
	assert.Empty(t, got, "an entry collected before the registration reached it")

	k.turn++ // the next wait
	_, err = k.Dispatch([]unix.Kevent_t{readable}, record, &stop)
	require.NoError(t, err)
	assert.Equal(t, []netpoll.Token{2<<32 | 5}, got)
}
