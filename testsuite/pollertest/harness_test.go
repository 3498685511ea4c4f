package pollertest

import (
	"errors"
	"testing"
	"time"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/require"
)

// errStop is what a test's callback or task returns to end Polling once it has seen enough.
var errStop = errors.New("pollertest: stop")

// watchdogDelay bounds every Polling call of the suite: when a test waits for an event that
// never comes, the watchdog closes the poller, Polling returns ErrPollerClosed instead of the
// errStop the test expects, and the test fails instead of hanging. No test measures time.
const watchdogDelay = 5 * time.Minute

// pollWithWatchdog runs p.Polling(cb, nil) on the calling goroutine, closing p if it has not
// returned after watchdogDelay.
func pollWithWatchdog(t testing.TB, p netpoll.Poller, cb netpoll.Callback) error {
	t.Helper()
	return pollTurnsWithWatchdog(t, p, cb, nil)
}

// pollTurnsWithWatchdog is pollWithWatchdog with an end-of-turn function.
func pollTurnsWithWatchdog(t testing.TB, p netpoll.Poller, cb netpoll.Callback, turnEnd netpoll.TurnFunc) error {
	t.Helper()
	watchdog := time.AfterFunc(watchdogDelay, func() {
		t.Errorf("Polling still running after %v: closing the poller", watchdogDelay)
		// The test has failed already; a Close error would add nothing to that report.
		_ = p.Close()
	})
	defer watchdog.Stop()
	return p.Polling(cb, turnEnd)
}

// report is one call of the Callback.
type report struct {
	fd int
	ev netpoll.Event
}

// pollIterations runs exactly n iterations of Polling and returns every callback made. The
// iterations are counted by an urgent task that queues its successor: urgent tasks queued
// during a drain run at the next iteration, and queuing one wakes the poller, so each
// iteration ends after one non-blocking look at the descriptors. An absent event is thus
// proved over n bounded steps, without sleeping.
func pollIterations(t testing.TB, p netpoll.Poller, n int) []report {
	t.Helper()
	var reports []report
	iterations := 0
	var tick netpoll.TaskFunc
	tick = func(any) error {
		iterations++
		if iterations == n {
			return errStop
		}
		return p.Trigger(netpoll.PriorityUrgent, tick, nil)
	}
	require.NoError(t, p.Trigger(netpoll.PriorityUrgent, tick, nil))
	err := pollWithWatchdog(t, p, func(token netpoll.Token, ev netpoll.Event) error {
		fd := int(token)
		reports = append(reports, report{fd: fd, ev: ev})
		return nil
	})
	require.ErrorIs(t, err, errStop)
	require.Equal(t, n, iterations)
	return reports
}

// unionFor returns every condition reported for fd.
func unionFor(reports []report, fd int) netpoll.Event {
	var union netpoll.Event
	for _, r := range reports {
		if r.fd == fd {
			union |= r.ev
		}
	}
	return union
}

// countFor returns how many callbacks for fd reported all of want.
func countFor(reports []report, fd int, want netpoll.Event) int {
	count := 0
	for _, r := range reports {
		if r.fd == fd && r.ev.Has(want) {
			count++
		}
	}
	return count
}

// pollUntilReported runs Polling until one callback for fd reports every condition in want,
// and returns that callback's conditions.
func pollUntilReported(t testing.TB, p netpoll.Poller, fd int, want netpoll.Event) netpoll.Event {
	t.Helper()
	var got netpoll.Event
	err := pollWithWatchdog(t, p, func(token netpoll.Token, ev netpoll.Event) error {
		readyFD := int(token)
		if readyFD == fd && ev.Has(want) {
			got = ev
			return errStop
		}
		return nil
	})
	require.ErrorIs(t, err, errStop, "fd %d was never reported with %b", fd, want)
	return got
}
