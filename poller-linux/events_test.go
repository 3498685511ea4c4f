//go:build linux

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"
)

func TestEventFromEpollMapsEveryKernelBit(t *testing.T) {
	tests := []struct {
		name string
		bits uint32
		want netpoll.Event
	}{
		{name: "nothing", bits: 0, want: 0},
		{name: "readable", bits: unix.EPOLLIN, want: netpoll.EventRead},
		{name: "writable", bits: unix.EPOLLOUT, want: netpoll.EventWrite},
		{name: "peer shut its write side", bits: unix.EPOLLIN | unix.EPOLLRDHUP, want: netpoll.EventRead | netpoll.EventHangup},
		{name: "both sides shut", bits: unix.EPOLLHUP, want: netpoll.EventHangup},
		{name: "pending error", bits: unix.EPOLLERR, want: netpoll.EventError},
		{
			name: "reset",
			bits: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLHUP | unix.EPOLLERR,
			want: netpoll.EventRead | netpoll.EventWrite | netpoll.EventHangup | netpoll.EventError,
		},
		{name: "priority data alone", bits: unix.EPOLLPRI, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, eventFromEpoll(tc.bits))
		})
	}
}
