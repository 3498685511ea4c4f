package e2e

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// ticker counts Tick calls, asks for the next one after delay and returns Shutdown from call
// number stopAt (never when zero).
type ticker struct {
	echoServer
	delay  time.Duration
	stopAt int32
	ticks  atomic.Int32
}

func (h *ticker) Tick() (time.Duration, api.Action) {
	n := h.ticks.Add(1)
	if n == h.stopAt {
		return h.delay, api.Shutdown
	}
	return h.delay, api.None
}

func TestTickIsCalledRepeatedlyWhileServing(t *testing.T) {
	t.Parallel()
	h := &ticker{delay: 20 * time.Millisecond}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithTicker(true))
	require.Eventually(t, func() bool { return h.ticks.Load() >= 3 }, testutil.WaitLimit, testutil.PollEvery,
		"fewer than 3 ticks")
	// Ticking does not get in the way of serving.
	require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("between ticks")))
}

func TestTickIsNotCalledWithoutTheTickerOption(t *testing.T) {
	t.Parallel()
	h := &ticker{delay: time.Millisecond}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
	require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("no ticks")))
	srv.Close()
	require.Zero(t, h.ticks.Load())
}

func TestTickReturningShutdownStopsTheServer(t *testing.T) {
	t.Parallel()
	h := &ticker{delay: 10 * time.Millisecond, stopAt: 3}
	srv, served := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithTicker(true))
	conn := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.WaitServeReturn(t, served))
	require.EqualValues(t, 3, h.ticks.Load(), "Tick was called again after it returned Shutdown")
	expectClosedByServer(t, conn)
}

func TestTickIsCalledAgainAfterTheDelayItReturnedAndNotBefore(t *testing.T) {
	cases := []struct {
		name  string
		delay time.Duration
		// window is how long the test watches once the first tick has come: many times a
		// short delay, more than the one-second default that an ignored long delay would
		// fall back to.
		window time.Duration
		// atLeast and atMost bound the ticks seen once the window has passed, the first one
		// included; an atMost of 0 sets no upper bound.
		atLeast, atMost int32
	}{
		{name: "20 ms: called again many times within a second", delay: 20 * time.Millisecond, window: time.Second, atLeast: 6},
		{name: "an hour: not called again within two seconds", delay: time.Hour, window: 2 * time.Second, atLeast: 1, atMost: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &ticker{delay: tc.delay}
			testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithTicker(true))
			require.Eventually(t, func() bool { return h.ticks.Load() >= 1 }, testutil.WaitLimit, testutil.PollEvery,
				"the first tick never came")
			time.Sleep(tc.window)
			ticks := h.ticks.Load()
			require.GreaterOrEqual(t, ticks, tc.atLeast, "ticks within %v of the first", tc.window)
			if tc.atMost > 0 {
				require.LessOrEqual(t, ticks, tc.atMost, "ticks within %v of the first", tc.window)
			}
		})
	}
}
