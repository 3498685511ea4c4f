package netpolltest

import (
	"errors"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
)

// triggerRound is how many tasks TriggerAndDrain queues before it waits for them to run.
const triggerRound = 1024

// TriggerAndDrain measures one task handed from another goroutine to a running event loop:
// Trigger, the shared wake-up, and the task's run. allocs/op must stay 0; wakeups/op shows how
// well wake-ups are shared. Tasks go in rounds of triggerRound, each awaited before the next,
// so that the queue reaches its steady state (nodes recycled through the pool) instead of
// growing without bound because the producer outruns the loop. Call it from a Benchmark
// function only.
func TriggerAndDrain[P netpoll.Poller](b *testing.B, open Opener[P]) {
	p := openForBenchmark(b, open)
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
	go func() { polled <- p.Polling(func(netpoll.Token, netpoll.Event) error { return nil }, nil) }()

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

	if err := p.Close(); err != nil {
		b.Fatal(err)
	}
	if err := <-polled; !errors.Is(err, netpoll.ErrPollerClosed) {
		b.Fatalf("Polling returned %v after Close, want %v", err, netpoll.ErrPollerClosed)
	}
	b.ReportMetric(float64(p.Stats().Wakeups)/float64(b.N), "wakeups/op")
}
