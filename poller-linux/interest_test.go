//go:build linux

package poller

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestControlRegistersTheLevelTriggeredEpollMaskOfEachInterest(t *testing.T) {
	// The kernel adds EPOLLERR and EPOLLHUP to every registration itself.
	const always = unix.EPOLLERR | unix.EPOLLHUP
	tests := []struct {
		name     string
		changes  []netpoll.Event // the first is added, the others modify
		wantMask uint32
	}{
		{name: "read", changes: []netpoll.Event{netpoll.EventRead}, wantMask: unix.EPOLLIN | unix.EPOLLRDHUP | always},
		{name: "write", changes: []netpoll.Event{netpoll.EventWrite}, wantMask: unix.EPOLLOUT | always},
		{
			name:     "read and write",
			changes:  []netpoll.Event{netpoll.EventRead | netpoll.EventWrite},
			wantMask: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLOUT | always,
		},
		{
			name:     "modified from read to write",
			changes:  []netpoll.Event{netpoll.EventRead, netpoll.EventWrite},
			wantMask: unix.EPOLLOUT | always,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := openEpollForTest(t, netpoll.Options{})
			fd := eventfdForTest(t)

			op := netpoll.OpAdd
			for _, interest := range tc.changes {
				require.NoError(t, k.Control(op, fd, netpoll.Token(fd), interest))
				op = netpoll.OpModify
			}

			mask, registered := registeredMask(t, k.epfd, fd)
			require.True(t, registered, "fd %d is not registered", fd)
			assert.Equal(t, fmt.Sprintf("%#x", tc.wantMask), fmt.Sprintf("%#x", mask))
		})
	}
}

func TestControlDeleteUnregistersTheDescriptor(t *testing.T) {
	k := openEpollForTest(t, netpoll.Options{})
	fd := eventfdForTest(t)
	require.NoError(t, k.Control(netpoll.OpAdd, fd, netpoll.Token(fd), netpoll.EventRead))

	require.NoError(t, k.Control(netpoll.OpDelete, fd, 0, 0))

	_, registered := registeredMask(t, k.epfd, fd)
	assert.False(t, registered)
}

// openEpollForTest opens the backend's kernel alone and closes it when the test ends.
func openEpollForTest(t *testing.T, opts netpoll.Options) *epoll {
	t.Helper()
	kernel, err := openEpoll(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, kernel.CloseDescriptors()) })
	return kernel.(*epoll)
}

// eventfdForTest returns a descriptor to register, closed when the test ends.
func eventfdForTest(t *testing.T) int {
	t.Helper()
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, unix.Close(fd)) })
	return fd
}

// registeredMask reads fd's registered event mask from the epoll instance's entry in
// /proc/self/fdinfo, where the kernel lists one "tfd: <fd> events: <hex mask> ..." line per
// registered descriptor.
func registeredMask(t *testing.T, epfd, fd int) (mask uint32, registered bool) {
	t.Helper()
	info, err := os.ReadFile("/proc/self/fdinfo/" + strconv.Itoa(epfd))
	require.NoError(t, err)
	for line := range strings.Lines(string(info)) {
		fields := strings.Fields(line)
		if len(fields) < 4 || fields[0] != "tfd:" || fields[1] != strconv.Itoa(fd) || fields[2] != "events:" {
			continue
		}
		parsed, err := strconv.ParseUint(fields[3], 16, 32)
		require.NoError(t, err)
		return uint32(parsed), true
	}
	return 0, false
}
