//go:build linux

package poller

import "github.com/gnetio/gnet/api/netpoll"

// Stats returns the poller's counters, each read atomically. It may be called from any
// goroutine, before, during and after Polling; the counters are not a consistent snapshot of
// one instant.
func (p *Poller) Stats() netpoll.Stats {
	return netpoll.Stats{
		Triggers: p.triggers.Load(),
		Wakeups:  p.wakeups.Load(),
		Tasks:    p.tasksRun.Load(),
		Waits:    p.waits.Load(),
	}
}
