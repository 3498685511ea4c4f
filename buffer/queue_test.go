package buffer

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestZeroQueueIsEmptyAndUsable(t *testing.T) {
	var q Queue[string]
	if _, ok := q.Dequeue(); ok || !q.IsEmpty() || q.Len() != 0 {
		t.Fatal("a zero queue is not empty")
	}
	q.Enqueue("a")
	q.Enqueue("b")
	if q.IsEmpty() || q.Len() != 2 {
		t.Fatalf("IsEmpty %v Len %d after two Enqueues, want false 2", q.IsEmpty(), q.Len())
	}
	for _, want := range []string{"a", "b"} {
		if got, ok := q.Dequeue(); !ok || got != want {
			t.Fatalf("Dequeue = %q, %v, want %q, true", got, ok, want)
		}
	}
	if _, ok := q.Dequeue(); ok || !q.IsEmpty() || q.Len() != 0 {
		t.Fatal("the queue is not empty after dequeuing everything")
	}
}

func TestQueueDequeuesInEnqueueOrder(t *testing.T) {
	tests := []struct {
		name  string
		count int
	}{
		{name: "one", count: 1},
		{name: "many", count: 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Queue[int]
			for i := range tt.count {
				q.Enqueue(i)
			}
			for i := range tt.count {
				if got, ok := q.Dequeue(); !ok || got != i {
					t.Fatalf("Dequeue %d = %d, %v, want %d, true", i, got, ok, i)
				}
			}
			if !q.IsEmpty() {
				t.Fatal("elements remain after dequeuing as many as were enqueued")
			}
		})
	}
}

func TestQueueInterleavedUseKeepsOrder(t *testing.T) {
	var q Queue[int]
	next, expected := 0, 0
	for round := range 1000 {
		for range round % 7 {
			q.Enqueue(next)
			next++
		}
		for range round % 5 {
			got, ok := q.Dequeue()
			if !ok {
				break
			}
			if got != expected {
				t.Fatalf("Dequeue = %d, want %d", got, expected)
			}
			expected++
		}
	}
	if q.Len() != next-expected {
		t.Fatalf("Len %d, want %d", q.Len(), next-expected)
	}
}

func TestQueueManyProducersLoseAndDuplicateNothingAndKeepEachProducersOrder(t *testing.T) {
	const (
		producers   = 8
		perProducer = 125_000
		// The deadline only stops a broken queue from hanging the suite; the test asserts
		// on what was dequeued, never on how long it took.
		deadline = 2 * time.Minute
	)
	type item struct{ producer, seq int }
	var q Queue[item]
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range perProducer {
				q.Enqueue(item{producer: p, seq: seq})
			}
		}()
	}

	var nextSeq [producers]int
	received := 0
	giveUp := time.Now().Add(deadline)
	for received < producers*perProducer && time.Now().Before(giveUp) {
		it, ok := q.Dequeue()
		if !ok {
			runtime.Gosched()
			continue
		}
		if it.seq != nextSeq[it.producer] {
			t.Fatalf("producer %d: dequeued seq %d, want %d", it.producer, it.seq, nextSeq[it.producer])
		}
		nextSeq[it.producer]++
		received++
	}
	wg.Wait()

	if received != producers*perProducer {
		t.Fatalf("received %d of %d before the deadline", received, producers*perProducer)
	}
	if _, ok := q.Dequeue(); ok || q.Len() != 0 {
		t.Fatal("elements remain after every enqueued one was received")
	}
}
