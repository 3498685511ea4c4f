//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"errors"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// errStop is what a test's callback or task returns to end Polling.
var errStop = errors.New("poller test: stop")

// openForTest opens a poller and closes it when the test or benchmark ends.
func openForTest(tb testing.TB, opts netpoll.Options) *Poller {
	tb.Helper()
	p, err := Open(opts)
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, p.Close()) })
	return p
}

// socketPairForTest returns two connected, non-blocking Unix stream sockets, closed when the
// test ends.
func socketPairForTest(tb testing.TB) (local, peer int) {
	tb.Helper()
	// Darwin has no SOCK_NONBLOCK, so the sockets are made non-blocking afterwards.
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		assert.NoError(tb, unix.Close(fds[0]))
		assert.NoError(tb, unix.Close(fds[1]))
	})
	require.NoError(tb, unix.SetNonblock(fds[0], true))
	require.NoError(tb, unix.SetNonblock(fds[1], true))
	return fds[0], fds[1]
}

// pollIterations runs exactly n iterations of Polling: an urgent task queues its successor,
// which runs at the next iteration, and stops the loop at the n-th.
func pollIterations(tb testing.TB, p *Poller, n int, cb netpoll.Callback) {
	tb.Helper()
	iterations := 0
	var tick netpoll.TaskFunc
	tick = func(any) error {
		iterations++
		if iterations == n {
			return errStop
		}
		return p.Trigger(netpoll.PriorityUrgent, tick, nil)
	}
	require.NoError(tb, p.Trigger(netpoll.PriorityUrgent, tick, nil))
	require.ErrorIs(tb, p.Polling(cb), errStop)
}
