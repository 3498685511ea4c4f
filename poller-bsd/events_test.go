//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"
)

func TestEventFromKeventMapsFilterAndFlags(t *testing.T) {
	tests := []struct {
		name   string
		filter int
		flags  int
		fflags uint32
		want   netpoll.Event
	}{
		{name: "readable", filter: unix.EVFILT_READ, want: netpoll.EventRead},
		{name: "writable", filter: unix.EVFILT_WRITE, want: netpoll.EventWrite},
		{
			name: "peer shut its write side", filter: unix.EVFILT_READ, flags: unix.EV_EOF,
			want: netpoll.EventRead | netpoll.EventHangup,
		},
		{
			name: "peer gone while writing", filter: unix.EVFILT_WRITE, flags: unix.EV_EOF,
			want: netpoll.EventWrite | netpoll.EventHangup,
		},
		{
			name: "reset", filter: unix.EVFILT_READ, flags: unix.EV_EOF, fflags: uint32(unix.ECONNRESET),
			want: netpoll.EventRead | netpoll.EventHangup | netpoll.EventError,
		},
		{
			name: "kqueue entry error", filter: unix.EVFILT_READ, flags: unix.EV_ERROR,
			want: netpoll.EventRead | netpoll.EventError,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ev unix.Kevent_t
			unix.SetKevent(&ev, 3, tc.filter, tc.flags)
			ev.Fflags = tc.fflags

			assert.Equal(t, tc.want, eventFromKevent(&ev))
		})
	}
}
