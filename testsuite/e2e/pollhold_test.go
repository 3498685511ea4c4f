package e2e

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// The poll hold changes only how an idle loop waits: with it off, at its default, or far longer
// than the gaps between messages, every message is echoed, including those sent after the loop
// had time to reach the scheduler-visible wait, and a message from another goroutine's
// AsyncWrite still wakes the loop.
func TestEchoIsServedWhateverThePollHoldWait(t *testing.T) {
	tests := []struct {
		name string
		hold time.Duration
	}{
		{name: "off", hold: -1},
		{name: "default (off)", hold: 0},
		{name: "fifty microseconds", hold: 50 * time.Microsecond},
		{name: "one microsecond", hold: time.Microsecond},
		{name: "above the 1ms cap", hold: time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newConnKeeper()
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0",
				server.WithLoopNum(2), server.WithPollHoldWait(tc.hold))
			conn := testutil.Dial(t, srv.Addr)
			c := h.nextConn(t)

			for i := range 20 {
				msg := testutil.Payload(64+i, uint64(i))
				require.NoError(t, testutil.RoundTrip(conn, msg), "message %d", i)
				if i%5 == 4 {
					time.Sleep(5 * time.Millisecond) // let the loop go past its hold into the blocking wait
				}
			}
			pushed := testutil.Payload(100, 99)
			require.NoError(t, c.AsyncWrite(pushed))
			expectRead(t, conn, pushed)
		})
	}
}
