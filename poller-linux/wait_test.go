//go:build linux

package poller

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// signalLater makes fd readable after delay, from another goroutine, as a peer's write would.
func signalLater(t *testing.T, fd int, delay time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		time.Sleep(delay)
		_, err := unix.Write(fd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
		done <- err
	}()
	t.Cleanup(func() { require.NoError(t, <-done) })
}

func TestWaitReturnsWhatBecomesReadyAtEachStepOfABlockingWait(t *testing.T) {
	tests := []struct {
		name     string
		holdWait time.Duration
		delay    time.Duration
	}{
		// The hold is long enough to outlast the delay: readiness arrives while the loop
		// sleeps in epoll_pwait2, keeping its processor.
		{name: "ready during the hold", holdWait: 10 * time.Second, delay: 20 * time.Millisecond},
		// The hold ends long before: readiness arrives in the scheduler-visible wait.
		{name: "ready after the hold", holdWait: time.Microsecond, delay: 20 * time.Millisecond},
		{name: "hold turned off", holdWait: -1, delay: 20 * time.Millisecond},
		{name: "ready before the wait", holdWait: 50 * time.Microsecond, delay: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := openEpollForTest(t, netpoll.Options{HoldWait: tc.holdWait})
			fd := eventfdForTest(t)
			require.NoError(t, k.Control(netpoll.OpAdd, fd, netpoll.Token(fd), netpoll.EventRead))
			signalLater(t, fd, tc.delay)

			events := make([]unix.EpollEvent, 4)
			n, err := waitIgnoringInterrupts(k, events, -1)

			require.NoError(t, err)
			require.Equal(t, 1, n)
			require.Equal(t, int32(fd), events[0].Fd)
		})
	}
}

func TestNonBlockingWaitReturnsAtOnceWhenNothingIsReady(t *testing.T) {
	k := openEpollForTest(t, netpoll.Options{HoldWait: 10 * time.Second})
	fd := eventfdForTest(t)
	require.NoError(t, k.Control(netpoll.OpAdd, fd, netpoll.Token(fd), netpoll.EventRead))

	n, err := k.Wait(make([]unix.EpollEvent, 4), 0)

	require.NoError(t, err)
	require.Zero(t, n)
}

func TestWaitTurnsTheHoldOffForGoodWhenTheKernelLacksEpollPwait2(t *testing.T) {
	k := openEpollForTest(t, netpoll.Options{HoldWait: 10 * time.Second})
	// No kernel has a system call with this number: it fails with ENOSYS, as epoll_pwait2
	// does before Linux 5.11.
	k.holdTrap = 1 << 20
	fd := eventfdForTest(t)
	require.NoError(t, k.Control(netpoll.OpAdd, fd, netpoll.Token(fd), netpoll.EventRead))
	signalLater(t, fd, 20*time.Millisecond)

	events := make([]unix.EpollEvent, 4)
	n, err := waitIgnoringInterrupts(k, events, -1)

	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.False(t, k.holdSupported, "the hold step must stay off after ENOSYS")
}

// waitIgnoringInterrupts retries Wait on EINTR, as netpoll.Core does: the Go runtime preempts
// goroutines with signals.
func waitIgnoringInterrupts(k *epoll, events []unix.EpollEvent, timeout time.Duration) (int, error) {
	for {
		n, err := k.Wait(events, timeout)
		if !errors.Is(err, unix.EINTR) {
			return n, err
		}
	}
}

func TestAWaitWithALimitReturnsEmptyOnceItPasses(t *testing.T) {
	for _, holdWait := range []time.Duration{0, 50 * time.Microsecond, 10 * time.Second} {
		k := openEpollForTest(t, netpoll.Options{HoldWait: holdWait})
		fd := eventfdForTest(t)
		require.NoError(t, k.Control(netpoll.OpAdd, fd, netpoll.Token(fd), netpoll.EventRead))

		n, err := waitIgnoringInterrupts(k, make([]unix.EpollEvent, 4), 2*time.Millisecond)

		require.NoError(t, err, "hold %v", holdWait)
		require.Zero(t, n, "hold %v", holdWait)
	}
}

func TestWaitMillisRoundsUpSoThatATimerIsNeverReachedEarly(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want int
	}{
		{d: -1, want: -1},
		{d: 0, want: 0},
		{d: 1, want: 1},
		{d: time.Millisecond, want: 1},
		{d: time.Millisecond + 1, want: 2},
		{d: 1<<63 - 1, want: math.MaxInt32},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, waitMillis(tc.d), "waitMillis(%v)", tc.d)
	}
}
