package buffer

import (
	"sync/atomic"
	"testing"
)

// BenchmarkTaskQueuePushAndRun measures one urgent and one normal task through the queue on
// one goroutine: the cost an event loop pays for a task it queues for itself, without the
// wake-up. allocs/op must stay 0.
func BenchmarkTaskQueuePushAndRun(b *testing.B) {
	var q TaskQueue
	var stop atomic.Bool
	noop := func(any) error { return nil }
	b.ReportAllocs()
	for b.Loop() {
		q.PushUrgent(noop, nil)
		q.PushNormal(noop, nil)
		if _, _, err := q.Run(1, &stop); err != nil {
			b.Fatal(err)
		}
	}
}
