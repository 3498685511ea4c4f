package buffer

import (
	"sync"
	"sync/atomic"
)

// Queue is an unbounded multi-producer, single-consumer FIFO queue.
//
// Enqueue may be called from any number of goroutines at once and never blocks or spins: a
// producer swaps itself in as the newest node with one atomic exchange and then links the
// previous newest node to it (the algorithm is Dmitry Vyukov's MPSC queue, which needs one
// atomic operation per enqueue where Michael and Scott's needs at least two compare-and-swaps
// that contend). Dequeue and IsEmpty must be called from one goroutine at a time, the
// consumer.
//
// Between a producer's exchange and its link the consumer cannot see that node nor any node
// enqueued after it: Dequeue reports the queue empty. The producer finishes its link right
// after, so a consumer that is woken after every enqueue (as the event loop is) never misses
// an element.
//
// Nodes are recycled through a sync.Pool, so Enqueue and Dequeue do not allocate in the
// steady state. The zero value is an empty queue ready to use.
type Queue[T any] struct {
	// head is the newest node; producers swap it.
	head atomic.Pointer[queueNode[T]]
	_    [56]byte // keep producers' cache line apart from the consumer's
	// tail is the consumer's sentinel: the node before the oldest element.
	tail *queueNode[T]
	once sync.Once
	pool sync.Pool
	size atomic.Int64
}

type queueNode[T any] struct {
	next  atomic.Pointer[queueNode[T]]
	value T
}

func (q *Queue[T]) init() {
	q.once.Do(func() {
		stub := new(queueNode[T])
		q.tail = stub
		q.head.Store(stub)
	})
}

func (q *Queue[T]) newNode(v T) *queueNode[T] {
	if n, ok := q.pool.Get().(*queueNode[T]); ok {
		n.value = v
		return n
	}
	return &queueNode[T]{value: v}
}

// Enqueue appends v. It is safe from any goroutine.
func (q *Queue[T]) Enqueue(v T) {
	q.init()
	n := q.newNode(v)
	q.size.Add(1)
	prev := q.head.Swap(n)
	// hot path: the only store another goroutine waits for.
	prev.next.Store(n)
}

// Dequeue removes and returns the oldest element, or reports false when the queue is empty
// (or its oldest element is still being linked in by a producer). Only the consumer may call
// it.
func (q *Queue[T]) Dequeue() (v T, ok bool) {
	q.init()
	tail := q.tail
	next := tail.next.Load()
	if next == nil {
		return v, false
	}
	v = next.value
	var zero T
	next.value = zero // next becomes the sentinel; drop the reference for the GC
	q.tail = next
	q.size.Add(-1)
	// No producer can still hold tail: the producer that linked tail.next is done with it,
	// and head has moved past it, so no later exchange can return it.
	tail.next.Store(nil)
	q.pool.Put(tail)
	return v, true
}

// IsEmpty reports whether Dequeue would find nothing. Only the consumer may call it.
func (q *Queue[T]) IsEmpty() bool {
	q.init()
	return q.tail.next.Load() == nil
}

// Len returns the number of elements enqueued and not yet dequeued, including any still being
// linked in. It is safe from any goroutine and meant for statistics.
func (q *Queue[T]) Len() int { return int(q.size.Load()) }
