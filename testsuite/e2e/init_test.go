package e2e

import (
	"net"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

func TestOnInitCompleteReceivesTheConfiguredServer(t *testing.T) {
	cases := []struct {
		name          string
		unix          bool
		opts          []server.Option
		wantLoops     int
		wantMulticore bool
		wantReusePort bool
		wantKeepAlive time.Duration
	}{
		{name: "defaults: one loop per CPU", wantLoops: runtime.NumCPU(), wantMulticore: runtime.NumCPU() > 1},
		{
			name:      "WithOptions with LoopNum 0 means one loop per CPU",
			opts:      []server.Option{server.WithOptions(server.Options{ReusePort: true})},
			wantLoops: runtime.NumCPU(), wantMulticore: runtime.NumCPU() > 1, wantReusePort: true,
		},
		{
			name:      "WithOptions with LoopNum 2",
			opts:      []server.Option{server.WithOptions(server.Options{LoopNum: 2})},
			wantLoops: 2, wantMulticore: true,
		},
		{
			name:      "multicore off means one loop",
			opts:      []server.Option{server.WithMulticore(false)},
			wantLoops: 1,
		},
		{
			name:      "multicore off, then on again",
			opts:      []server.Option{server.WithMulticore(false), server.WithMulticore(true)},
			wantLoops: runtime.NumCPU(), wantMulticore: runtime.NumCPU() > 1,
		},
		{
			name:      "multicore off after WithOptions means one loop",
			opts:      []server.Option{server.WithOptions(server.Options{ReusePort: true}), server.WithMulticore(false)},
			wantLoops: 1, wantReusePort: true,
		},
		{
			name:      "an explicit loop count wins over multicore off, given after it",
			opts:      []server.Option{server.WithMulticore(false), server.WithLoopNum(3)},
			wantLoops: 3, wantMulticore: true,
		},
		{
			name:      "an explicit loop count wins over multicore off, given before it",
			opts:      []server.Option{server.WithLoopNum(3), server.WithMulticore(false)},
			wantLoops: 3, wantMulticore: true,
		},
		{
			name:      "two loops with reuseport and keep-alive",
			opts:      []server.Option{server.WithLoopNum(2), server.WithReusePort(true), server.WithTCPKeepAlive(15 * time.Second)},
			wantLoops: 2, wantMulticore: true, wantReusePort: true, wantKeepAlive: 15 * time.Second,
		},
		{
			name:      "multicore means one loop per CPU",
			opts:      []server.Option{server.WithMulticore(true)},
			wantLoops: runtime.NumCPU(), wantMulticore: runtime.NumCPU() > 1,
		},
		{
			name:      "explicit loop count wins over multicore",
			opts:      []server.Option{server.WithMulticore(true), server.WithLoopNum(3)},
			wantLoops: 3, wantMulticore: true,
		},
		{
			name:      "unix sockets have no reuseport",
			unix:      true,
			opts:      []server.Option{server.WithLoopNum(2), server.WithReusePort(true)},
			wantLoops: 2, wantMulticore: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := "tcp://127.0.0.1:0"
			path := filepath.Join(t.TempDir(), "gnet.sock")
			if tc.unix {
				addr = "unix://" + path
			}
			h := new(echoServer)
			srv := testutil.StartServer(t, h, addr, tc.opts...)

			assert.Equal(t, tc.wantLoops, srv.NumEventLoop, "NumEventLoop")
			assert.Equal(t, tc.wantMulticore, srv.Multicore, "Multicore")
			assert.Equal(t, tc.wantReusePort, srv.ReUsePort, "ReUsePort")
			assert.Equal(t, tc.wantKeepAlive, srv.TCPKeepAlive, "TCPKeepAlive")
			require.NotNil(t, srv.Close, "Close")
			if tc.unix {
				require.Equal(t, &net.UnixAddr{Name: path, Net: "unix"}, srv.Addr)
			} else {
				tcpAddr, ok := srv.Addr.(*net.TCPAddr)
				require.True(t, ok, "Addr is a %T", srv.Addr)
				require.True(t, tcpAddr.IP.Equal(net.IPv4(127, 0, 0, 1)), "Addr's host is %v", tcpAddr.IP)
				require.NotZero(t, tcpAddr.Port, "Addr keeps port 0 instead of the port chosen")
			}
			// The address handed over is the one that serves.
			require.NoError(t, testutil.RoundTrip(testutil.Dial(t, srv.Addr), []byte("dialed Addr")))
		})
	}
}

// refusingServer returns Shutdown from OnInitComplete.
type refusingServer struct {
	echoServer
}

func (h *refusingServer) OnInitComplete(s api.Server) api.Action {
	h.Recorder.OnInitComplete(s)
	return api.Shutdown
}

// Not parallel: it counts the process's goroutines and descriptors.
func TestShutdownFromOnInitCompleteReturnsWithoutServing(t *testing.T) {
	before := testutil.Snapshot(t)
	h := new(refusingServer)
	returned := make(chan error, 1)
	go func() {
		returned <- server.Serve(h, "tcp://127.0.0.1:0", server.WithLoopNum(2), server.WithLogger(new(testutil.Logger)))
	}()
	select {
	case err := <-returned:
		require.NoError(t, err)
	case <-time.After(testutil.WaitLimit):
		t.Fatal("Serve kept serving after OnInitComplete returned Shutdown")
	}
	_, started := h.Server()
	require.True(t, started, "OnInitComplete never fired")
	require.Zero(t, h.Opened())
	// Every socket, poller and loop goroutine is gone: nothing is left to serve.
	testutil.RequireNoLeaks(t, before)
}

// closingAtInit calls Server.Close from OnInitComplete, the way a handler that finds it
// cannot serve after all stops the server it was handed.
type closingAtInit struct {
	echoServer
}

func (h *closingAtInit) OnInitComplete(s api.Server) api.Action {
	h.Recorder.OnInitComplete(s)
	s.Close()
	return api.None
}

// Not parallel: it counts the process's goroutines and descriptors.
func TestCloseFromOnInitCompleteReturnsFromServeWithoutServingAndLeaksNothing(t *testing.T) {
	cases := []struct {
		name string
		unix bool
		udp  bool
		opts []server.Option
	}{
		{name: "tcp, one loop", opts: []server.Option{server.WithLoopNum(1)}},
		{name: "tcp, acceptor and two loops", opts: []server.Option{server.WithLoopNum(2)}},
		{name: "tcp, two loops with reuseport", opts: []server.Option{server.WithLoopNum(2), server.WithReusePort(true)}},
		{name: "unix, acceptor and two loops", unix: true, opts: []server.Option{server.WithLoopNum(2)}},
		{name: "udp, two loops", udp: true, opts: []server.Option{server.WithLoopNum(2)}},
		{
			name: "graceful, with the ticker",
			opts: []server.Option{server.WithLoopNum(2), server.WithGraceful(true), server.WithTicker(true)},
		},
	}
	for _, tc := range cases {
		before := testutil.Snapshot(t)
		t.Run(tc.name, func(t *testing.T) {
			addr := loopbackAddress(t, tc.unix)
			if tc.udp {
				addr = "udp://127.0.0.1:0"
			}
			h := new(closingAtInit)
			returned := make(chan error, 1)
			go func() {
				opts := append([]server.Option{server.WithLogger(new(testutil.Logger))}, tc.opts...)
				returned <- server.Serve(h, addr, opts...)
			}()
			select {
			case err := <-returned:
				require.NoError(t, err)
			case <-time.After(testutil.WaitLimit):
				t.Fatal("Serve kept serving after OnInitComplete called Close")
			}
			srv, started := h.Server()
			require.True(t, started, "OnInitComplete never fired")
			require.Zero(t, h.Opened())
			if !tc.udp {
				_, err := net.DialTimeout(srv.Addr.Network(), srv.Addr.String(), testutil.WaitLimit)
				require.Error(t, err, "the listener still accepts connections")
			}
		})
		// Every socket, poller and goroutine is gone.
		testutil.RequireNoLeaks(t, before)
	}
}
