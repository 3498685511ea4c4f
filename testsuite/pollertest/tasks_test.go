package pollertest

import (
	"sync"
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stamp identifies one triggered task: which producer queued it, and as its how-manieth.
type stamp struct {
	producer, seq int
}

func TestMillionTasksFromEightProducersRunOnceEachInProducerOrderWithFewWakeups(t *testing.T) {
	const (
		producers   = 8
		perProducer = 125_000
		total       = producers * perProducer
	)
	p := openPoller(t, netpoll.Options{})

	// The stamps are allocated up front and passed by pointer, so the task argument costs
	// no allocation and the producers measure the poller, not the allocator.
	stamps := make([][]stamp, producers)
	for producer := range stamps {
		stamps[producer] = make([]stamp, perProducer)
		for seq := range stamps[producer] {
			stamps[producer][seq] = stamp{producer: producer, seq: seq}
		}
	}
	// Only the event loop touches these.
	ranPerProducer := make([]int, producers)
	outOfOrder := 0
	ran := 0
	run := func(arg any) error {
		s := arg.(*stamp)
		if s.seq != ranPerProducer[s.producer] {
			outOfOrder++
		}
		ranPerProducer[s.producer]++
		ran++
		if ran == total {
			return errStop
		}
		return nil
	}

	triggerErrs := make([]error, producers)
	var producing sync.WaitGroup
	for producer := range producers {
		producing.Go(func() {
			for seq := range perProducer {
				if err := p.Trigger(netpoll.PriorityNormal, run, &stamps[producer][seq]); err != nil {
					triggerErrs[producer] = err
					return
				}
			}
		})
	}
	err := pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })
	producing.Wait()

	require.ErrorIs(t, err, errStop)
	for producer, err := range triggerErrs {
		require.NoError(t, err, "producer %d", producer)
	}
	for producer, count := range ranPerProducer {
		assert.Equal(t, perProducer, count, "tasks run for producer %d", producer)
	}
	assert.Zero(t, outOfOrder, "tasks run out of their producer's order")
	stats := p.Stats()
	assert.Equal(t, uint64(total), stats.Triggers)
	assert.Equal(t, uint64(total), stats.Tasks)
	assert.LessOrEqual(t, stats.Wakeups, stats.Triggers/100, "wake-ups are not coalesced")
	t.Logf("triggers %d, wakeups %d (%.4f%%), waits %d",
		stats.Triggers, stats.Wakeups, 100*float64(stats.Wakeups)/float64(stats.Triggers), stats.Waits)
}

func TestUrgentTasksRunBeforeNormalTasksQueuedInTheSameBatch(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	queued := []struct {
		priority netpoll.Priority
		label    string
	}{
		{priority: netpoll.PriorityNormal, label: "normal 1"},
		{priority: netpoll.PriorityUrgent, label: "urgent 1"},
		{priority: netpoll.PriorityNormal, label: "normal 2"},
		{priority: netpoll.PriorityUrgent, label: "urgent 2"},
		{priority: netpoll.PriorityNormal, label: "normal 3"},
		{priority: netpoll.PriorityUrgent, label: "urgent 3"},
	}
	var order []string
	record := func(arg any) error {
		order = append(order, arg.(string))
		if len(order) == len(queued) {
			return errStop
		}
		return nil
	}
	for _, q := range queued {
		require.NoError(t, p.Trigger(q.priority, record, q.label))
	}

	err := pollWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error { return nil })

	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []string{"urgent 1", "urgent 2", "urgent 3", "normal 1", "normal 2", "normal 3"}, order)
}

func TestTriggerWithNilTaskFails(t *testing.T) {
	p := openPoller(t, netpoll.Options{})

	assert.Error(t, p.Trigger(netpoll.PriorityNormal, nil, nil))
	assert.Zero(t, p.Stats().Triggers)
}
