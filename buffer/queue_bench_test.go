package buffer

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkQueueEnqueueDequeue measures one element through the queue on one goroutine: the
// cost a loop pays for a task it queues for itself.
func BenchmarkQueueEnqueueDequeue(b *testing.B) {
	var q Queue[int]
	b.ReportAllocs()
	for b.Loop() {
		q.Enqueue(1)
		q.Dequeue()
	}
}

// BenchmarkQueueParallelProducersOneConsumer measures Enqueue from GOMAXPROCS producers while
// one consumer goroutine drains the queue, as other goroutines feed an event loop. With an
// unbounded backlog the producers outrun the consumer, which shares the CPUs with them, and
// every element left in flight needs a node of its own; with a bounded one the consumer keeps
// up, as an event loop does, and nodes are recycled.
func BenchmarkQueueParallelProducersOneConsumer(b *testing.B) {
	tests := []struct {
		name       string
		maxBacklog int // producers yield while more elements are queued; 0: never
	}{
		{name: "unbounded backlog", maxBacklog: 0},
		{name: "backlog of 256", maxBacklog: 256},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			var q Queue[int]
			var stop atomic.Bool
			var consumer sync.WaitGroup
			consumer.Add(1)
			go func() {
				defer consumer.Done()
				for !stop.Load() {
					if _, ok := q.Dequeue(); !ok {
						runtime.Gosched()
					}
				}
			}()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					for tt.maxBacklog > 0 && q.Len() > tt.maxBacklog {
						runtime.Gosched()
					}
					q.Enqueue(1)
				}
			})
			b.StopTimer()
			stop.Store(true)
			consumer.Wait()
		})
	}
}
