package netpoll

import "time"

const (
	defaultEventBatch = 128
	defaultTaskBudget = 256
	// maxHoldWait caps HoldWait: a processor held longer would stall the goroutines and the
	// garbage-collector pauses waiting for it in ways the Go scheduler cannot see or fix.
	maxHoldWait = time.Millisecond
	// eventBatchGrowthLimit caps how far the event array may grow past its first size: busy
	// loops get bigger batches (fewer waits), without letting one loop hold an unbounded array.
	eventBatchGrowthLimit = 64
)

// WithDefaults returns o with every zero field replaced by its default (EventBatch 128,
// TaskBudget 256; HoldWait stays off unless positive, and above 1ms becomes 1ms), or
// ErrInvalidOptions when EventBatch or TaskBudget is negative. It is pure and safe from any
// goroutine; backends call it in Open, before creating any descriptor.
func (o Options) WithDefaults() (Options, error) {
	if o.EventBatch < 0 || o.TaskBudget < 0 {
		return o, ErrInvalidOptions
	}
	if o.EventBatch == 0 {
		o.EventBatch = defaultEventBatch
	}
	if o.TaskBudget == 0 {
		o.TaskBudget = defaultTaskBudget
	}
	o.HoldWait = min(o.HoldWait, maxHoldWait)
	return o, nil
}

// maxEventBatch is how large the event array of a poller opened with o may grow; o has its
// defaults applied.
func (o Options) maxEventBatch() int { return o.EventBatch * eventBatchGrowthLimit }
