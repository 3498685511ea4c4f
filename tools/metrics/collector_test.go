package metrics

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
)

// fixedStats is a server's statistics with two loops and an acceptor, every figure distinct.
func fixedStats() api.ServerStats {
	loop0 := api.LoopStats{Index: 0, ConnsOpen: 3, Accepted: 10, BytesIn: 1000, BytesOut: 900,
		FramesIn: 40, FramesOut: 39, OutboundBytes: 64, Busy: 1500 * time.Millisecond, Idle: 2 * time.Second, Turns: 77}
	loop0.Closed[api.CausePeer] = 6
	loop0.Closed[api.CauseIdleTimeout] = 1
	loop1 := api.LoopStats{Index: 1, Accepted: 2, TLSHandshakes: 2, TLSHandshakeFailures: 1, Stalls: 1}
	loop1.Closed[api.CauseTLSFailure] = 1
	acceptor := api.LoopStats{Index: -1, AcceptBackoffs: 5, Wakeups: 9}
	st := api.ServerStats{Loops: []api.LoopStats{loop0, loop1}, Acceptor: &acceptor, Total: api.LoopStats{Index: -1}}
	for i := range st.Loops {
		st.Total.Add(&st.Loops[i])
	}
	st.Total.Add(&acceptor)
	return st
}

func TestCollectorExportsEveryLoopsFiguresUnderItsLabel(t *testing.T) {
	c := NewCollector(fixedStats)

	expected := `
# HELP gnet_event_loops Number of event loops serving connections.
# TYPE gnet_event_loops gauge
gnet_event_loops 2
# HELP gnet_connections_open Connections open for the handler now: OnOpened has fired and OnClosed has not.
# TYPE gnet_connections_open gauge
gnet_connections_open{loop="0"} 3
gnet_connections_open{loop="1"} 0
gnet_connections_open{loop="acceptor"} 0
# HELP gnet_bytes_received_total Bytes read from sockets (ciphertext under TLS).
# TYPE gnet_bytes_received_total counter
gnet_bytes_received_total{loop="0"} 1000
gnet_bytes_received_total{loop="1"} 0
gnet_bytes_received_total{loop="acceptor"} 0
# HELP gnet_loop_busy_seconds_total Time the loop spent handling events, tasks and callbacks.
# TYPE gnet_loop_busy_seconds_total counter
gnet_loop_busy_seconds_total{loop="0"} 1.5
gnet_loop_busy_seconds_total{loop="1"} 0
gnet_loop_busy_seconds_total{loop="acceptor"} 0
# HELP gnet_accept_backoffs_total Pauses of accepting after running out of descriptors or memory.
# TYPE gnet_accept_backoffs_total counter
gnet_accept_backoffs_total{loop="0"} 0
gnet_accept_backoffs_total{loop="1"} 0
gnet_accept_backoffs_total{loop="acceptor"} 5
`
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(expected),
		"gnet_event_loops", "gnet_connections_open", "gnet_bytes_received_total",
		"gnet_loop_busy_seconds_total", "gnet_accept_backoffs_total"))
}

func TestCollectorExportsEveryCloseCauseOfEveryLoop(t *testing.T) {
	c := NewCollector(fixedStats)

	// Three loop labels (two loops and the acceptor) times every cause, zeros included, so
	// that rate() over a cause that has not happened yet is 0 rather than absent.
	require.Equal(t, 3*int(api.NumCloseCauses), testutil.CollectAndCount(c, "gnet_connections_closed_total"))
	expected := `
# HELP gnet_loop_stalls_total Turns of the loop that held it past the stall threshold (watchdog on).
# TYPE gnet_loop_stalls_total counter
gnet_loop_stalls_total{loop="0"} 0
gnet_loop_stalls_total{loop="1"} 1
gnet_loop_stalls_total{loop="acceptor"} 0
`
	require.NoError(t, testutil.CollectAndCompare(c, strings.NewReader(expected), "gnet_loop_stalls_total"))
	ep, err := Listen("127.0.0.1:0", fixedStats)
	require.NoError(t, err)
	defer func() { require.NoError(t, ep.Close()) }()
	out := scrape(t, ep.URL())
	for _, series := range []string{
		`gnet_connections_closed_total{cause="peer",loop="0"} 6`,
		`gnet_connections_closed_total{cause="idle_timeout",loop="0"} 1`,
		`gnet_connections_closed_total{cause="tls_failure",loop="1"} 1`,
		`gnet_connections_closed_total{cause="server_stop",loop="1"} 0`,
	} {
		require.Contains(t, out, series)
	}
}

// scrape returns the page at url, failing the test unless it is served with 200 OK.
func scrape(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	require.NoError(t, err, url)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, err, url)
	require.Equal(t, http.StatusOK, resp.StatusCode, url)
	return string(body)
}

func TestCollectorPassesPrometheusLint(t *testing.T) {
	problems, err := testutil.CollectAndLint(NewCollector(fixedStats))
	require.NoError(t, err)
	require.Empty(t, problems)
}

func TestListenServesMetricsAndProfilesUntilClosed(t *testing.T) {
	ep, err := Listen("127.0.0.1:0", fixedStats)
	require.NoError(t, err)

	for path, want := range map[string]string{
		"/metrics":             `gnet_connections_accepted_total{loop="0"} 10`,
		"/debug/pprof/":        "goroutine",
		"/debug/pprof/cmdline": "",
	} {
		require.Contains(t, scrape(t, "http://"+ep.Addr().String()+path), want, path)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	metricsPage, err := client.Get(ep.URL())
	require.NoError(t, err)
	require.NoError(t, metricsPage.Body.Close())
	require.Contains(t, metricsPage.Header.Get("Content-Type"), "text/plain")

	require.NoError(t, ep.Close())
	_, err = net.Dial("tcp", ep.Addr().String())
	require.Error(t, err, "nothing listens once closed")
}

func TestExporterWithoutAnAddressDoesNothingAndWithOneServesFromStartToClose(t *testing.T) {
	none := NewExporter("", false)
	require.NoError(t, none.Start(fixedStats))
	require.NoError(t, none.Close())

	var announced []string
	x := NewExporter("127.0.0.1:0", true)
	x.logf = func(format string, args ...any) { announced = append(announced, fmt.Sprintf(format, args...)) }
	require.NoError(t, x.Start(fixedStats))
	require.NoError(t, x.Start(fixedStats), "a second Start does nothing")
	require.Len(t, announced, 1)
	url := strings.Fields(announced[0])[2]
	url = strings.TrimSuffix(url, ",")
	require.Contains(t, scrape(t, url), "gnet_event_loops 2")
	require.NoError(t, x.Close())
	require.NoError(t, x.Close(), "closing twice is harmless")
}
