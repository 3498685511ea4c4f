package faulttest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// stallThreshold is generous: a loop on a loaded machine under the race detector must not
// look stalled when nothing holds it.
const stallThreshold = 250 * time.Millisecond

// staller echoes, except that the frame "stall" holds React for a second, as a callback that
// blocks on something would.
type staller struct {
	testutil.Recorder
}

func (s *staller) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "stall" {
		time.Sleep(4 * stallThreshold)
	}
	_ = c.AsyncWrite(frame)
	return api.None
}

// stallReports returns the watchdog's reports among what log kept.
func stallReports(log *testutil.Logger) []string {
	var reports []string
	for _, line := range log.Lines() {
		if strings.Contains(line, "stalled") {
			reports = append(reports, line)
		}
	}
	return reports
}

// startStaller serves a staller on one loop with the watchdog on, logging to log.
func startStaller(t *testing.T, log *testutil.Logger) api.Server {
	t.Helper()
	return testutil.StartServer(t, new(staller), "tcp://127.0.0.1:0", server.WithLoopNum(1),
		server.WithLogger(log), server.WithStallThreshold(stallThreshold))
}

// A callback that holds its loop past the threshold is reported once, while it holds it: the
// report names the loop, the connection and how long, and carries the loop's stack, in which
// the callback is seen doing what holds it. The stall is counted in the statistics.
func TestWatchdogReportsACallbackHoldingItsLoopOnceWithTheLoopsStack(t *testing.T) {
	log := new(testutil.Logger)
	srv := startStaller(t, log)
	conn := testutil.Dial(t, srv.Addr)

	require.NoError(t, testutil.RoundTrip(conn, []byte("stall")))

	reports := stallReports(log)
	require.Len(t, reports, 1, "one stall, one report: %q", reports)
	report := reports[0]
	t.Logf("the report begins: %s", strings.SplitN(report, "\n", 2)[0])
	require.Contains(t, report, "WARN gnet: event loop 0 stalled")
	require.Contains(t, report, "the connection from "+conn.LocalAddr().String())
	require.Contains(t, report, "threshold "+stallThreshold.String())
	require.Contains(t, report, "(*staller).React", "the loop's stack shows the callback")
	require.Contains(t, report, "time.Sleep", "the loop's stack shows what holds it")
	require.EqualValues(t, 1, srv.Stats().Total.Stalls)
	require.EqualValues(t, 1, srv.Stats().Loops[0].Stalls)
}

// The same server, with the same traffic but nothing that holds the loop, reports nothing.
func TestWatchdogReportsNothingWhenNoCallbackHoldsTheLoop(t *testing.T) {
	log := new(testutil.Logger)
	srv := startStaller(t, log)
	conn := testutil.Dial(t, srv.Addr)

	for range 100 {
		require.NoError(t, testutil.RoundTrip(conn, []byte("ping")))
	}
	// Long enough for the watchdog to look at the loop several times, idle and busy.
	time.Sleep(4 * stallThreshold)
	require.NoError(t, testutil.RoundTrip(conn, []byte("ping")))

	require.Empty(t, stallReports(log))
	require.Zero(t, srv.Stats().Total.Stalls)
}
