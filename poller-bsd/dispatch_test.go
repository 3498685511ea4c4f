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
		fd int
		ev netpoll.Event
	}
	tests := []struct {
		name          string
		ready         []unix.Kevent_t
		wantCallbacks []callback
	}{
		{
			name:          "read and write filters side by side",
			ready:         []unix.Kevent_t{kevent(5, unix.EVFILT_READ), kevent(5, unix.EVFILT_WRITE), kevent(6, unix.EVFILT_READ)},
			wantCallbacks: []callback{{fd: 5, ev: netpoll.EventRead | netpoll.EventWrite}, {fd: 6, ev: netpoll.EventRead}},
		},
		{
			name:  "filters of one descriptor apart",
			ready: []unix.Kevent_t{kevent(5, unix.EVFILT_READ), kevent(6, unix.EVFILT_WRITE), kevent(5, unix.EVFILT_WRITE)},
			wantCallbacks: []callback{
				{fd: 5, ev: netpoll.EventRead}, {fd: 6, ev: netpoll.EventWrite}, {fd: 5, ev: netpoll.EventWrite},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := &kqueue{kq: -1}
			var stop atomic.Bool
			var got []callback
			record := func(fd int, ev netpoll.Event) error {
				got = append(got, callback{fd: fd, ev: ev})
				return nil
			}

			woken, err := k.Dispatch(tc.ready, record, &stop)

			require.NoError(t, err)
			assert.False(t, woken)
			assert.Equal(t, tc.wantCallbacks, got)
		})
	}
}
