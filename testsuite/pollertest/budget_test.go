package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaskBudgetLetsIOCallbacksRunBeforeQueuedTasksFinish(t *testing.T) {
	const queuedTasks = 10_000
	tests := []struct {
		name       string
		taskBudget int
		wantAtMost int
	}{
		{name: "default budget", taskBudget: 0, wantAtMost: 256},
		{name: "budget of 10", taskBudget: 10, wantAtMost: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{TaskBudget: tc.taskBudget})
			conn := socketPair(t)
			require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

			// The first task makes the socket readable; the callback records how many tasks
			// had run by the time the loop got back to I/O.
			ran := 0
			tasksRunAtFirstRead := -1
			run := func(any) error {
				ran++
				if ran == 1 {
					writeAll(t, conn.peer, []byte("x"))
				}
				if ran == queuedTasks {
					return errStop
				}
				return nil
			}
			for range queuedTasks {
				require.NoError(t, p.Trigger(netpoll.PriorityNormal, run, nil))
			}

			err := pollWithWatchdog(t, p, func(token netpoll.Token, ev netpoll.Event) error {
				fd := int(token)
				if fd == conn.local && ev.Has(netpoll.EventRead) && tasksRunAtFirstRead < 0 {
					tasksRunAtFirstRead = ran
				}
				return nil
			})

			require.ErrorIs(t, err, errStop)
			assert.Equal(t, queuedTasks, ran)
			require.GreaterOrEqual(t, tasksRunAtFirstRead, 1, "readable socket never reported")
			assert.LessOrEqual(t, tasksRunAtFirstRead, tc.wantAtMost, "I/O waited for more than one budget of tasks")
		})
	}
}
