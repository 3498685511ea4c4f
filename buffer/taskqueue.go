package buffer

import "sync/atomic"

// TaskQueue is an unbounded multi-producer, single-consumer queue of tasks in two priorities,
// urgent and normal. A task is a function and the argument to call it with, stored by value, so
// that a caller passes state without allocating a closure.
//
// PushUrgent and PushNormal may be called from any goroutine; Run and Discard from one
// goroutine at a time, the consumer (an event loop). Pushing and running do not allocate in
// the steady state: nodes are recycled as Queue's are. The zero value is an empty queue ready
// to use.
type TaskQueue struct {
	urgent Queue[queuedTask]
	normal Queue[queuedTask]
}

// queuedTask is one pushed call.
type queuedTask struct {
	fn  func(any) error
	arg any
}

// PushUrgent queues fn(arg) to run at the next Run, before any normal task. fn must not be
// nil. It is safe from any goroutine.
//
// hot path: no allocation
func (q *TaskQueue) PushUrgent(fn func(any) error, arg any) {
	q.urgent.Enqueue(queuedTask{fn: fn, arg: arg})
}

// PushNormal queues fn(arg) to run after the urgent tasks, within some Run's budget. fn must
// not be nil. It is safe from any goroutine.
//
// hot path: no allocation
func (q *TaskQueue) PushNormal(fn func(any) error, arg any) {
	q.normal.Enqueue(queuedTask{fn: fn, arg: arg})
}

// Run runs every urgent task queued when it starts, then up to budget normal tasks, each
// priority oldest first, and reports how many tasks it ran and whether tasks remain queued for
// a later Run. It stops at the first task that returns an error and returns that error, with
// pending false; the failed task counts as run. It runs no further task once stop, which must
// not be nil, reads true. Only the consumer may call it.
//
// Urgent tasks are bounded by their count at entry, so that an urgent task that pushes its
// successor cannot keep Run from returning; the successor runs at the next Run.
//
// hot path: no allocation
func (q *TaskQueue) Run(budget int, stop *atomic.Bool) (ran int, pending bool, err error) {
	ran, err = runOldest(&q.urgent, q.urgent.Len(), stop)
	if err != nil {
		return ran, false, err
	}
	ranNormal, err := runOldest(&q.normal, budget, stop)
	ran += ranNormal
	if err != nil {
		return ran, false, err
	}
	return ran, !q.urgent.IsEmpty() || !q.normal.IsEmpty(), nil
}

// runOldest runs up to limit tasks from q, oldest first, until q is empty, a task fails or
// stop reads true.
//
// hot path: no allocation
func runOldest(q *Queue[queuedTask], limit int, stop *atomic.Bool) (ran int, err error) {
	for ran < limit && !stop.Load() {
		t, ok := q.Dequeue()
		if !ok {
			break
		}
		ran++
		if err := t.fn(t.arg); err != nil {
			return ran, err
		}
	}
	return ran, nil
}

// Discard drops, without running them, the tasks queued when it starts, so that their
// arguments are no longer kept alive. It is bounded by the counts at entry because producers
// may go on pushing meanwhile. Only the consumer may call it.
func (q *TaskQueue) Discard() {
	discardQueued(&q.urgent)
	discardQueued(&q.normal)
}

// discardQueued dequeues as many tasks as q held when it was called.
func discardQueued(q *Queue[queuedTask]) {
	for n := q.Len(); n > 0; n-- {
		if _, ok := q.Dequeue(); !ok {
			return
		}
	}
}
