//go:build linux

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// BenchmarkTriggerAndDrain measures one task handed from another goroutine to a running
// event loop: Trigger, the shared wake-up, and the task's run. allocs/op must stay 0. Tasks
// go in rounds of triggerRound, each awaited before the next, so that the queue reaches its
// steady state (nodes recycled through the pool) instead of growing without bound because the
// producer outruns the loop.
func BenchmarkTriggerAndDrain(b *testing.B) {
	const triggerRound = 1024
	p := openForTest(b, netpoll.Options{})
	ran := 0
	roundDone := make(chan struct{}, 1)
	run := func(any) error {
		ran++
		if ran%triggerRound == 0 || ran == b.N {
			roundDone <- struct{}{}
		}
		return nil
	}
	polled := make(chan error, 1)
	go func() { polled <- p.Polling(func(int, netpoll.Event) error { return nil }) }()

	b.ReportAllocs()
	b.ResetTimer()
	for queued := 0; queued < b.N; {
		for round := 0; round < triggerRound && queued < b.N; round++ {
			if err := p.Trigger(netpoll.PriorityNormal, run, nil); err != nil {
				b.Fatal(err)
			}
			queued++
		}
		<-roundDone
	}
	b.StopTimer()

	require.NoError(b, p.Close())
	require.ErrorIs(b, <-polled, netpoll.ErrPollerClosed)
	b.ReportMetric(float64(p.Stats().Wakeups)/float64(b.N), "wakeups/op")
}

// BenchmarkSocketpairPingPong measures one round trip of one byte through Polling: the loop
// echoes what arrives on one end, and the other end sends the next byte when the echo
// arrives. Both ends are served by the same event loop, so the figure is the poller's cost
// per readiness event plus four system calls.
func BenchmarkSocketpairPingPong(b *testing.B) {
	p := openForTest(b, netpoll.Options{})
	echoer, pinger := socketPairForTest(b)
	require.NoError(b, p.AddRead(echoer))
	require.NoError(b, p.AddRead(pinger))
	var buf [1]byte
	roundTrips := 0
	onReady := func(fd int, _ netpoll.Event) error {
		n, err := unix.Read(fd, buf[:])
		if err != nil || n != 1 {
			return errShortIO(err)
		}
		if fd == pinger {
			roundTrips++
			if roundTrips == b.N {
				return errStop
			}
		}
		_, err = unix.Write(fd, buf[:])
		return err
	}

	b.ReportAllocs()
	b.ResetTimer()
	_, err := unix.Write(pinger, buf[:])
	require.NoError(b, err)
	err = p.Polling(onReady)
	b.StopTimer()
	require.ErrorIs(b, err, errStop)
}

// errShortIO turns a failed or empty one-byte read into an error that stops the benchmark.
func errShortIO(err error) error {
	if err != nil {
		return err
	}
	return unix.EIO
}
