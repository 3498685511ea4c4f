//go:build linux

package poller

import "github.com/gnetio/gnet/api/netpoll"

const (
	defaultEventBatch = 128
	defaultTaskBudget = 256
	// eventBatchGrowthLimit caps how far the event array may grow past its first size: busy
	// loops get bigger batches (fewer waits), without letting one loop hold an unbounded array.
	eventBatchGrowthLimit = 64
)

// resolveOptions replaces zero values by their defaults and rejects negative ones.
func resolveOptions(opts netpoll.Options) (netpoll.Options, error) {
	if opts.EventBatch < 0 || opts.TaskBudget < 0 {
		return opts, ErrInvalidOptions
	}
	if opts.EventBatch == 0 {
		opts.EventBatch = defaultEventBatch
	}
	if opts.TaskBudget == 0 {
		opts.TaskBudget = defaultTaskBudget
	}
	return opts, nil
}
