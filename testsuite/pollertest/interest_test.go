package pollertest

import (
	"testing"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInterestChangesTakeEffectAtTheNextIteration(t *testing.T) {
	const iterations = 3
	tests := []struct {
		name        string
		dataPending bool
		register    func(p netpoll.Poller, fd int) error
		change      func(p netpoll.Poller, fd int) error
		wantBefore  netpoll.Event
		wantAfter   netpoll.Event
	}{
		{
			name:       "Reregister for reading stops EventWrite",
			register:   readWrite,
			change:     reregister(netpoll.EventRead),
			wantBefore: netpoll.EventWrite,
			wantAfter:  0,
		},
		{
			name:       "Reregister for both starts EventWrite",
			register:   readOnly,
			change:     reregister(netpoll.EventRead | netpoll.EventWrite),
			wantBefore: 0,
			wantAfter:  netpoll.EventWrite,
		},
		{
			name:        "Reregister for writing stops EventRead",
			dataPending: true,
			register:    readWrite,
			change:      reregister(netpoll.EventWrite),
			wantBefore:  netpoll.EventRead | netpoll.EventWrite,
			wantAfter:   netpoll.EventWrite,
		},
		{
			name:        "Reregister for reading after writing starts EventRead",
			dataPending: true,
			register:    writeOnly,
			change:      reregister(netpoll.EventRead),
			wantBefore:  netpoll.EventWrite,
			wantAfter:   netpoll.EventRead,
		},
		{
			name:        "Deregister stops every event",
			dataPending: true,
			register:    readWrite,
			change:      netpoll.Poller.Deregister,
			wantBefore:  netpoll.EventRead | netpoll.EventWrite,
			wantAfter:   0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := openPoller(t, netpoll.Options{})
			conn := socketPair(t)
			if tc.dataPending {
				writeAll(t, conn.peer, []byte("pending"))
			}
			require.NoError(t, tc.register(p, conn.local))

			before := pollIterations(t, p, iterations)
			require.NoError(t, tc.change(p, conn.local))
			after := pollIterations(t, p, iterations)

			assert.Equal(t, tc.wantBefore, unionFor(before, conn.local), "before the change")
			assert.Equal(t, tc.wantAfter, unionFor(after, conn.local), "after the change")
		})
	}
}

func TestReadinessIsReportedAtEveryIterationUntilDrained(t *testing.T) {
	const iterations = 4
	p := openPoller(t, netpoll.Options{})
	conn := socketPair(t)
	writeAll(t, conn.peer, []byte("first"))
	require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))

	first := pollIterations(t, p, iterations)
	require.Equal(t, len("first"), drain(t, conn.local))
	drained := pollIterations(t, p, iterations)
	writeAll(t, conn.peer, []byte("second"))
	second := pollIterations(t, p, iterations)

	assert.Equal(t, iterations, countFor(first, conn.local, netpoll.EventRead), "reports of an arrival left undrained")
	assert.Zero(t, countFor(drained, conn.local, netpoll.EventRead), "reports once drained")
	assert.Equal(t, iterations, countFor(second, conn.local, netpoll.EventRead), "reports of a new arrival")
}

// readOnly, readWrite and writeOnly register fd with its number as the token.
func readOnly(p netpoll.Poller, fd int) error {
	return p.Register(fd, netpoll.Token(fd), netpoll.EventRead)
}

func readWrite(p netpoll.Poller, fd int) error {
	return p.Register(fd, netpoll.Token(fd), netpoll.EventRead|netpoll.EventWrite)
}

func writeOnly(p netpoll.Poller, fd int) error {
	return p.Register(fd, netpoll.Token(fd), netpoll.EventWrite)
}

// reregister returns a change to interest, keeping the token.
func reregister(interest netpoll.Event) func(p netpoll.Poller, fd int) error {
	return func(p netpoll.Poller, fd int) error { return p.Reregister(fd, netpoll.Token(fd), interest) }
}
