//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package poller

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestOpenResolvesOptions(t *testing.T) {
	tests := []struct {
		name            string
		opts            netpoll.Options
		wantBatch       int
		wantMaxEvents   int
		wantTaskBudget  int
		wantTriggerMode int
	}{
		{
			name:      "zero value selects the defaults",
			opts:      netpoll.Options{},
			wantBatch: 128, wantMaxEvents: 128 * 64, wantTaskBudget: 256, wantTriggerMode: 0,
		},
		{
			name:      "explicit values and edge triggering",
			opts:      netpoll.Options{EdgeTriggered: true, EventBatch: 16, TaskBudget: 32},
			wantBatch: 16, wantMaxEvents: 16 * 64, wantTaskBudget: 32, wantTriggerMode: unix.EV_CLEAR,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openForTest(t, tc.opts)

			assert.Equal(t, tc.wantBatch, len(p.events))
			assert.Equal(t, tc.wantMaxEvents, p.maxEvents)
			assert.Equal(t, tc.wantTaskBudget, p.taskBudget)
			assert.Equal(t, tc.wantTriggerMode, p.triggerMode)
		})
	}
}

func TestOpenRejectsNegativeOptions(t *testing.T) {
	tests := []struct {
		name string
		opts netpoll.Options
	}{
		{name: "negative event batch", opts: netpoll.Options{EventBatch: -1}},
		{name: "negative task budget", opts: netpoll.Options{TaskBudget: -1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(tc.opts)

			require.ErrorIs(t, err, ErrInvalidOptions)
			assert.Nil(t, p)
		})
	}
}

func TestPollingTwiceAtOnceFailsWithErrAlreadyPolling(t *testing.T) {
	p := openForTest(t, netpoll.Options{})
	var second error
	require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error {
		second = p.Polling(func(int, netpoll.Event) error { return nil })
		return errStop
	}, nil))

	first := p.Polling(func(int, netpoll.Event) error { return nil })

	assert.ErrorIs(t, first, errStop)
	assert.ErrorIs(t, second, ErrAlreadyPolling)
}
