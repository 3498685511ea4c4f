package pollertest

import (
	"testing"
	"time"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// tokenFor returns a token with a generation in its upper half and the descriptor in its lower
// half, the way an event loop numbers its registrations.
func tokenFor(generation uint32, fd int) netpoll.Token {
	return netpoll.Token(generation)<<32 | netpoll.Token(uint32(fd))
}

func TestEveryEventCarriesTheTokenOfItsRegistration(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	conn := socketPair(t)
	token := tokenFor(7, conn.local)
	writeAll(t, conn.peer, []byte("ready"))
	require.NoError(t, p.Register(conn.local, token, netpoll.EventRead))

	var got []netpoll.Token
	err := pollWithWatchdog(t, p, func(reported netpoll.Token, _ netpoll.Event) error {
		got = append(got, reported)
		return errStop
	})

	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []netpoll.Token{token}, got)

	moved := tokenFor(8, conn.local)
	require.NoError(t, p.Reregister(conn.local, moved, netpoll.EventRead))
	got = nil
	err = pollWithWatchdog(t, p, func(reported netpoll.Token, _ netpoll.Event) error {
		got = append(got, reported)
		return errStop
	})
	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []netpoll.Token{moved}, got, "Reregister replaces the token")
}

// An event loop that closes a connection while it dispatches a batch, and accepts another that
// gets the same descriptor number before the batch is done, must not see the old connection's
// events as the new one's. The poller makes that possible: an event collected before the
// number was registered again never carries the new registration's token.
func TestAnEventCollectedBeforeADescriptorNumberWasReusedNeverCarriesTheNewToken(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	first, second := socketPair(t), socketPair(t)
	for _, conn := range []*connection{first, second} {
		writeAll(t, conn.peer, []byte("pending"))
		require.NoError(t, unix.Shutdown(conn.peer, unix.SHUT_WR))
		require.NoError(t, p.Register(conn.local, tokenFor(1, conn.local), netpoll.EventRead))
	}
	// The replacement is readable too, so that a stale event wrongly given its token would
	// look like a real one.
	replacement := socketPair(t)
	writeAll(t, replacement.peer, []byte("new"))

	var reused netpoll.Token
	var firstTurn, laterTurns []netpoll.Token
	turns := 0
	onReady := func(token netpoll.Token, _ netpoll.Event) error {
		if turns > 0 {
			laterTurns = append(laterTurns, token)
			if token == reused {
				return errStop
			}
			return nil
		}
		firstTurn = append(firstTurn, token)
		if reused != 0 {
			return nil
		}
		// The first callback of the batch closes the other connection and gives its number
		// to the replacement, as an accept would, while the other's event is still queued.
		other := second
		if token == tokenFor(1, second.local) {
			other = first
		}
		require.NoError(t, p.Deregister(other.local))
		require.NoError(t, duplicateOnto(replacement.local, other.local))
		reused = tokenFor(2, other.local)
		return p.Register(other.local, reused, netpoll.EventRead)
	}
	turnEnd := func() (time.Duration, error) {
		turns++
		return -1, nil
	}

	err := pollTurnsWithWatchdog(t, p, onReady, turnEnd)

	require.ErrorIs(t, err, errStop, "the reused descriptor's own readiness was never reported")
	require.NotZero(t, reused)
	assert.NotContains(t, firstTurn, reused, "an event of the closed connection was reported as the new one's")
	assert.Contains(t, laterTurns, reused)
}

func TestTurnEndRunsOnceAfterEachTurnsEventsAndTasks(t *testing.T) {
	p := openPoller(t, netpoll.Options{})
	conn := socketPair(t)
	writeAll(t, conn.peer, []byte("level-triggered: reported every turn"))
	require.NoError(t, p.Register(conn.local, netpoll.Token(conn.local), netpoll.EventRead))
	var log []string
	require.NoError(t, p.Trigger(netpoll.PriorityNormal, func(any) error {
		log = append(log, "task")
		return nil
	}, nil))

	err := pollTurnsWithWatchdog(t, p, func(netpoll.Token, netpoll.Event) error {
		log = append(log, "event")
		return nil
	}, func() (time.Duration, error) {
		log = append(log, "end")
		if len(log) >= 5 {
			return 0, errStop
		}
		return -1, nil
	})

	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []string{"event", "task", "end", "event", "end"}, log)
	assert.EqualValues(t, 2, p.Stats().Turns, "turns whose events and tasks were handled")
}
