package e2e

import (
	"bytes"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// currentGoroutine returns the running goroutine's number, parsed from the first line of its
// stack ("goroutine 42 [running]:"). Every callback for a connection runs on its loop's one
// goroutine, so the number names the loop.
func currentGoroutine() int {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	fields := bytes.Fields(buf)
	if len(fields) < 2 {
		return -1
	}
	id, err := strconv.Atoi(string(fields[1]))
	if err != nil {
		return -1
	}
	return id
}

// loopCounter counts the connections each loop opens.
type loopCounter struct {
	echoServer
	mu     sync.Mutex
	byLoop map[int]int
}

func (h *loopCounter) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.mu.Lock()
	h.byLoop[currentGoroutine()]++
	h.mu.Unlock()
	return h.Recorder.OnOpened(c)
}

func (h *loopCounter) connectionsPerLoop() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	var counts []int
	for _, n := range h.byLoop {
		counts = append(counts, n)
	}
	return counts
}

func TestLoadBalancerSpreadsConnectionsAsItsPolicySays(t *testing.T) {
	const clients = 10
	cases := []struct {
		name   string
		policy server.LoadBalancing
		// want is the number of connections on each loop that got any, in any order.
		want []int
	}{
		{name: "round robin alternates between the loops", policy: server.RoundRobin, want: []int{5, 5}},
		{name: "least connections fills the emptier loop", policy: server.LeastConnections, want: []int{5, 5}},
		{name: "source address hash keeps one source on one loop", policy: server.SourceAddrHash, want: []int{10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &loopCounter{byLoop: make(map[int]int)}
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0",
				server.WithLoopNum(2), server.WithLoadBalancing(tc.policy))
			for i := range clients {
				// Each connection stays open and is served before the next one is dialed,
				// so that the policy sees every earlier connection.
				require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("which loop?")), "client %d", i)
			}
			require.ElementsMatch(t, tc.want, h.connectionsPerLoop())
		})
	}
}
