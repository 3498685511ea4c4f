//go:build gnetfaults

package faulttest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/sysfault"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// faultEcho echoes every frame, closes on "bye" and shuts down for writing on "half". It
// keeps the remote address of every connection it opened.
type faultEcho struct {
	testutil.Recorder
	openedFrom sync.Map // remote address → struct{}
}

func (h *faultEcho) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.openedFrom.Store(c.RemoteAddr().String(), struct{}{})
	return h.Recorder.OnOpened(c)
}

// wasOpened reports whether a connection from remote was opened.
func (h *faultEcho) wasOpened(remote string) bool {
	_, ok := h.openedFrom.Load(remote)
	return ok
}

func (h *faultEcho) React(frame []byte, c api.Conn) api.Action {
	switch string(frame) {
	case "bye":
		return api.Close
	case "half":
		if hc, ok := c.(api.HalfCloser); ok {
			_ = hc.CloseWrite() // an error closes the connection, which OnClosed reports
		}
		return api.None
	}
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// transport is one way of reaching a server: its address and how a client dials it.
type transport struct {
	name string
	addr func(t *testing.T) string
	tls  bool
}

func transports() []transport {
	return []transport{
		{name: "tcp", addr: func(*testing.T) string { return "tcp://127.0.0.1:0" }},
		{name: "unix", addr: func(t *testing.T) string { return "unix://" + filepath.Join(t.TempDir(), "f.sock") }},
		{name: "tls", addr: func(*testing.T) string { return "tcp://127.0.0.1:0" }, tls: true},
	}
}

// dialer returns how the test's clients dial srv over tr.
func (tr transport) dialer(t *testing.T, fixture *tlsutil.Fixture) func(addr net.Addr) (net.Conn, error) {
	return func(addr net.Addr) (net.Conn, error) {
		conn, err := testutil.TryDial(addr)
		if err != nil || !tr.tls {
			return conn, err
		}
		tc := tls.Client(conn, fixture.ClientConfig())
		if err := tc.Handshake(); err != nil {
			_ = conn.Close() // the handshake error is the one worth reporting
			return nil, err
		}
		return tc, nil
	}
}

// messageSizes is what every client of the ride-out test sends: 1 B to about 40 KiB.
func messageSizes() []int {
	sizes := make([]int, 24)
	for i := range sizes {
		sizes[i] = 1 + (i*7919)%40000
	}
	return sizes
}

func TestInjectedFaultsThatAreRiddenOutLoseNoByteOverTCPUnixAndTLS(t *testing.T) {
	const clients = 3
	cases := []struct {
		name  string
		rules []rule
	}{
		{name: "read EINTR", rules: []rule{{op: sysfault.OpRead, fault: sysfault.Fault{Errno: syscall.EINTR}, every: 2}}},
		{name: "read EAGAIN", rules: []rule{{op: sysfault.OpRead, fault: sysfault.Fault{Errno: syscall.EAGAIN}, every: 2}}},
		{name: "short reads", rules: []rule{{op: sysfault.OpRead, fault: sysfault.Fault{Short: 7}, every: 2}}},
		{name: "write EINTR", rules: []rule{{op: sysfault.OpWrite, fault: sysfault.Fault{Errno: syscall.EINTR}, every: 2}}},
		{name: "write EAGAIN", rules: []rule{{op: sysfault.OpWrite, fault: sysfault.Fault{Errno: syscall.EAGAIN}, every: 2}}},
		{name: "short writes", rules: []rule{{op: sysfault.OpWrite, fault: sysfault.Fault{Short: 5}, every: 2}}},
		{name: "wait EINTR", rules: []rule{{op: sysfault.OpWait, fault: sysfault.Fault{Errno: syscall.EINTR}, every: 3}}},
		{name: "accept EINTR and ECONNABORTED", rules: []rule{
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.EINTR}, every: 2, limit: 2},
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.ECONNABORTED}, every: 3, limit: 2},
		}},
		{name: "accept EMFILE, ENFILE, ENOBUFS, ENOMEM", rules: []rule{
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.EMFILE}, limit: 1},
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.ENFILE}, skip: 1, limit: 1},
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.ENOBUFS}, skip: 2, limit: 1},
			{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.ENOMEM}, skip: 3, limit: 1},
		}},
		{name: "close EINTR and EIO", rules: []rule{
			{op: sysfault.OpClose, fault: sysfault.Fault{Errno: syscall.EINTR}, every: 2},
			{op: sysfault.OpClose, fault: sysfault.Fault{Errno: syscall.EIO}},
		}},
	}
	fixture := tlsutil.NewFixture(t)
	before := testutil.Snapshot(t)
	for _, tr := range transports() {
		for _, tc := range cases {
			t.Run(tr.name+"/"+tc.name, func(t *testing.T) {
				h := new(faultEcho)
				opts := []server.Option{server.WithLoopNum(2)}
				if tr.tls {
					opts = append(opts, server.WithTls(fixture.ServerConfig()))
				}
				srv := testutil.StartServer(t, h, tr.addr(t), opts...)
				_, counter := inject(t, tc.rules...)
				dial := tr.dialer(t, fixture)

				conns := make([]net.Conn, clients)
				for i := range conns {
					conn, err := dial(srv.Addr)
					require.NoError(t, err, "client %d", i)
					conns[i] = conn
				}
				for i, size := range messageSizes() {
					for k, conn := range conns {
						require.NoError(t, testutil.RoundTrip(conn, testutil.Payload(size, uint64(i*clients+k))),
							"client %d, message %d (%d bytes)", k, i, size)
					}
				}
				for _, conn := range conns {
					require.NoError(t, conn.Close())
				}
				closures := h.WaitClosures(t, clients)
				for _, c := range closures {
					if tr.tls && (errors.Is(c.Err, syscall.EPIPE) || errors.Is(c.Err, syscall.ECONNRESET)) {
						// The close_notify that answers the client's may meet its closed
						// socket (more often when writes are cut short): that alert is lost.
						continue
					}
					require.NoError(t, c.Err, "a client's orderly close is reported without an error")
				}
				require.Equal(t, clients, h.Opened())
				require.Zero(t, h.RepeatedCloses())
				require.Positive(t, counter.Injected(), "no fault was injected")
				t.Logf("%s: %d of %d calls faulted: %s", tc.name, counter.Injected(), counter.TotalCalls(), counter)
			})
		}
	}
	testutil.RequireNoLeaks(t, before)
}

// victim is a connection made for a targeted fault: the closure the server reports for it.
func waitVictimClosure(t *testing.T, h *faultEcho, victim net.Conn, network string) testutil.Closure {
	t.Helper()
	if network == "unix" {
		return h.WaitClosures(t, 1)[0] // the bystander stays open: the one closure is the victim's
	}
	return h.WaitClosedFrom(t, victim.LocalAddr().String())
}

func TestInjectedConnectionFaultsCloseOnlyThatConnectionWithTheError(t *testing.T) {
	cases := []struct {
		name string
		rule rule
		// send is what the victim sends to meet the fault.
		send string
		// opens: whether the victim is ever opened (a connection refused at registration is
		// dropped before OnOpened).
		opens   bool
		tcpOnly bool
		// opts are the server's options beside one loop.
		opts []server.Option
	}{
		{name: "read ECONNRESET", rule: rule{op: sysfault.OpRead, fault: sysfault.Fault{Errno: syscall.ECONNRESET}}, send: "hello", opens: true},
		{name: "read ETIMEDOUT", rule: rule{op: sysfault.OpRead, fault: sysfault.Fault{Errno: syscall.ETIMEDOUT}}, send: "hello", opens: true},
		{name: "read ENOBUFS", rule: rule{op: sysfault.OpRead, fault: sysfault.Fault{Errno: syscall.ENOBUFS}}, send: "hello", opens: true},
		{name: "write ECONNRESET", rule: rule{op: sysfault.OpWrite, fault: sysfault.Fault{Errno: syscall.ECONNRESET}}, send: "hello", opens: true},
		{name: "write EPIPE", rule: rule{op: sysfault.OpWrite, fault: sysfault.Fault{Errno: syscall.EPIPE}}, send: "hello", opens: true},
		{name: "write ENOBUFS", rule: rule{op: sysfault.OpWrite, fault: sysfault.Fault{Errno: syscall.ENOBUFS}}, send: "hello", opens: true},
		{name: "shutdown ENOTCONN on CloseWrite", rule: rule{op: sysfault.OpShutdown, fault: sysfault.Fault{Errno: syscall.ENOTCONN}}, send: "half", opens: true},
		{name: "control ENOMEM on registration", rule: rule{op: sysfault.OpControl, fault: sysfault.Fault{Errno: syscall.ENOMEM}}, send: "hello"},
		// TCP_NODELAY comes from the listener on Linux; keep-alive is set on each connection.
		{name: "setsockopt ENOMEM on accept", rule: rule{op: sysfault.OpSetsockopt, fault: sysfault.Fault{Errno: syscall.ENOMEM}}, send: "hello", tcpOnly: true, opts: []server.Option{server.WithTCPKeepAlive(time.Minute)}},
	}
	for _, tr := range transports()[:2] {
		for _, tc := range cases {
			if tc.tcpOnly && tr.name != "tcp" {
				continue
			}
			t.Run(tr.name+"/"+tc.name, func(t *testing.T) {
				h := new(faultEcho)
				srv := testutil.StartServer(t, h, tr.addr(t), append([]server.Option{server.WithLoopNum(1)}, tc.opts...)...)
				bystander := testutil.Dial(t, srv.Addr)
				require.NoError(t, testutil.RoundTrip(bystander, []byte("before")))
				r := tc.rule
				r.onTarget, r.limit = true, 1
				p, counter := inject(t, r)
				p.arm()

				victim := testutil.Dial(t, srv.Addr)
				_, err := victim.Write([]byte(tc.send))
				if err != nil && !tc.opens {
					// Dropped at once, the server's close may come before this write.
					require.True(t, errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET), "write: %v", err)
				} else {
					require.NoError(t, err)
				}
				_, err = io.ReadAll(victim) // the server ends the stream, by end of file or a reset
				if err != nil {
					require.ErrorIs(t, err, syscall.ECONNRESET)
				}

				if tc.opens {
					closure := waitVictimClosure(t, h, victim, tr.name)
					require.ErrorIs(t, closure.Err, tc.rule.fault.Errno, "OnClosed reports the fault")
					require.Equal(t, 2, h.Opened())
				} else {
					require.Equal(t, 1, h.Opened(), "a connection dropped before it opened was opened")
					require.Empty(t, h.Closures(), "OnClosed for a connection never opened")
				}
				require.Equal(t, uint64(1), counter.Injected())
				require.NoError(t, testutil.RoundTrip(bystander, []byte("after")), "the bystander is still served")
				if tr.name == "tcp" {
					_, closed := h.ClosedFrom(bystander.LocalAddr().String())
					require.False(t, closed, "the bystander was closed")
				}
				require.Zero(t, h.RepeatedCloses())
			})
		}
	}
}

// maxTurnsAcrossPauses bounds the loop's turns while a client waits out accept pauses: a few
// per pause and per message when the loop waits, far more when it spins.
const maxTurnsAcrossPauses = 1000

func TestInjectedAcceptingResumesWhenThePollerRefusesTheListenerAfterAPause(t *testing.T) {
	enomem := sysfault.Fault{Errno: syscall.ENOMEM}
	cases := []struct {
		name         string
		control      rule
		wantBackoffs uint64
	}{
		// The pause's removal is the first control of the listener after the EMFILE, the
		// resumption's registration the second; a refused registration leaves the listener
		// out of the poller, so the next control is the next resumption's registration.
		{name: "registration refused once", control: rule{op: sysfault.OpControl, onListener: true, fault: enomem, skip: 1, limit: 1}, wantBackoffs: 2},
		{name: "registration refused three times", control: rule{op: sysfault.OpControl, onListener: true, fault: enomem, skip: 1, limit: 3}, wantBackoffs: 4},
		{name: "removal refused once", control: rule{op: sysfault.OpControl, onListener: true, fault: enomem, limit: 1}, wantBackoffs: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := new(faultEcho)
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1))
			_, counter := inject(t,
				rule{op: sysfault.OpAccept, fault: sysfault.Fault{Errno: syscall.EMFILE}, limit: 1},
				tc.control)

			turnsBefore := srv.Stats().Total.Turns
			conn := testutil.Dial(t, srv.Addr)
			require.NoError(t, testutil.RoundTrip(conn, []byte("accepted after all")))

			stats := srv.Stats().Total
			require.GreaterOrEqual(t, stats.AcceptBackoffs, tc.wantBackoffs)
			// A listener left in the poller while paused is reported at every turn: the loop
			// would spin through the pause, tens of thousands of turns.
			require.Less(t, stats.Turns-turnsBefore, uint64(maxTurnsAcrossPauses), "the loop spun while accepting was paused")
			require.Equal(t, uint64(1), counter.Errnos(sysfault.OpAccept, syscall.EMFILE))
			t.Logf("%s: %d backoffs, %d turns; %s", tc.name, stats.AcceptBackoffs, stats.Turns-turnsBefore, counter)
		})
	}
}

// greetAndClose greets every connection and closes it in order at once.
type greetAndClose struct {
	testutil.Recorder
}

const greeting = "hello, and goodbye\n"

func (h *greetAndClose) OnOpened(c api.Conn) ([]byte, api.Action) {
	_, _ = h.Recorder.OnOpened(c)
	return []byte(greeting), api.Close
}

func TestInjectedFaultThatCutsAnOrderlyCloseShortWithOutputOwedIsReportedToOnClosed(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	for _, useTLS := range []bool{false, true} {
		name := "tcp"
		if useTLS {
			name = "tls: the greeting held for the handshake"
		}
		t.Run(name, func(t *testing.T) {
			h := new(greetAndClose)
			opts := []server.Option{server.WithLoopNum(1)}
			if useTLS {
				opts = append(opts, server.WithTls(fixture.ServerConfig()))
			}
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", opts...)
			p, counter := inject(t,
				// The first write finds the socket full, so the output waits for writability:
				// the registration's change then fails.
				rule{op: sysfault.OpWrite, onTarget: true, fault: sysfault.Fault{Errno: syscall.EAGAIN}, limit: 1},
				rule{op: sysfault.OpControl, onTarget: true, fault: sysfault.Fault{Errno: syscall.ENOMEM}, skip: 1, limit: 1})
			p.arm()

			conn := testutil.Dial(t, srv.Addr)
			if useTLS {
				err := tls.Client(conn, fixture.ClientConfig()).Handshake()
				require.Error(t, err, "the handshake cannot complete: its connection is gone")
			} else {
				got, err := io.ReadAll(conn)
				if err != nil {
					require.ErrorIs(t, err, syscall.ECONNRESET)
				}
				require.NotEqual(t, greeting, string(got), "the greeting arrived whole")
			}
			closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
			require.ErrorIs(t, closure.Err, syscall.ENOMEM, "OnClosed reports the fault that lost the greeting")
			require.Equal(t, uint64(1), counter.Errnos(sysfault.OpControl, syscall.ENOMEM))
		})
	}
}

func TestInjectedPollFaultsSpareAnIdleConnectionUntilASweepCanTell(t *testing.T) {
	const idle = 200 * time.Millisecond
	h := new(faultEcho)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1), server.WithIdleTimeout(idle))
	_, counter := inject(t,
		rule{op: sysfault.OpPoll, fault: sysfault.Fault{Errno: syscall.EINTR}, limit: 1},
		rule{op: sysfault.OpPoll, fault: sysfault.Fault{Errno: syscall.ENOMEM}, skip: 1, limit: 1})
	conn := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.RoundTrip(conn, []byte("then silence")))

	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())

	require.ErrorIs(t, closure.Err, server.ErrIdleTimeout)
	require.GreaterOrEqual(t, counter.Calls(sysfault.OpPoll), uint64(3), "closed before a sweep's poll could tell")
	require.Equal(t, uint64(2), counter.Injected())
	if errors.Is(closure.Err, syscall.EINTR) {
		t.Fatal("the poll's fault was taken for the connection's")
	}
}

// echoPlainly echoes nc until it ends, through a buffer: io.Copy between two sockets would
// splice through a pipe pair that the runtime keeps pooled, which the leak check would count.
func echoPlainly(nc net.Conn) {
	defer func() { _ = nc.Close() }() // the peer ended the stream; nothing to report
	buf := make([]byte, 4096)
	for {
		n, err := nc.Read(buf)
		if n > 0 {
			if _, werr := nc.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func TestInjectedSocketOptionFaultOnADialedConnectionFailsThatDialOnly(t *testing.T) {
	before := testutil.Snapshot(t)
	t.Run("dial", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer func() { _ = ln.Close() }() // the test is over; nothing is waiting on it
		go func() {
			for {
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				go echoPlainly(nc)
			}
		}()
		cm := server.Client(new(api.EventServer), server.WithLoopNum(1), server.WithTCPNoDelay(true),
			server.WithLogger(new(testutil.Logger)))
		require.NoError(t, cm.Start())
		defer cm.Stop()
		_, counter := inject(t, rule{op: sysfault.OpSetsockopt, fault: sysfault.Fault{Errno: syscall.ENOMEM}, limit: 1})

		_, err = cm.Dial("tcp", ln.Addr().String())
		require.ErrorIs(t, err, syscall.ENOMEM, "the dial reports the failed socket option")
		c, err := cm.Dial("tcp", ln.Addr().String())
		require.NoError(t, err, "the next dial is not affected")
		require.NoError(t, c.Close())
		require.Equal(t, uint64(1), counter.Injected())
	})
	testutil.RequireNoLeaks(t, before)
}

// drawn is an injector that draws every call's fault from a seeded generator: each kind of
// fault of its table at its rate, per call of its Op.
type drawn struct {
	mu    sync.Mutex
	rng   *rand.Rand
	table map[sysfault.Op][]drawnFault
}

type drawnFault struct {
	fault sysfault.Fault
	rate  float64
}

func (d *drawn) Inject(c sysfault.Call) sysfault.Fault {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range d.table[c.Op] {
		if d.rng.Float64() >= f.rate {
			continue
		}
		if f.fault.Short > 0 && c.Len > 1 {
			return sysfault.Fault{Short: 1 + d.rng.IntN(c.Len-1)}
		}
		return f.fault
	}
	return sysfault.Fault{}
}

// serveWithDrawnFaults serves the fault echo over tr on two loops and installs, until the test
// ends, faults drawn from table with seed, counted.
func serveWithDrawnFaults(t *testing.T, tr transport, fixture *tlsutil.Fixture, seed uint64, table map[sysfault.Op][]drawnFault) (*faultEcho, api.Server, *sysfault.Counter) {
	t.Helper()
	h := new(faultEcho)
	opts := []server.Option{server.WithLoopNum(2)}
	if tr.tls {
		opts = append(opts, server.WithTls(fixture.ServerConfig()))
	}
	srv := testutil.StartServer(t, h, tr.addr(t), opts...)
	counter := sysfault.NewCounter(&drawn{rng: rand.New(rand.NewPCG(seed, 0)), table: table})
	t.Cleanup(sysfault.Install(counter))
	return h, srv, counter
}

func TestInjectedMixOfFaultsToRideOutLosesNoByteBetweenConcurrentClients(t *testing.T) {
	const (
		clients  = 6
		messages = 40
		seed     = 20
	)
	every := map[sysfault.Op][]drawnFault{
		sysfault.OpAccept: {{fault: sysfault.Fault{Errno: syscall.EINTR}, rate: 0.1}, {fault: sysfault.Fault{Errno: syscall.ECONNABORTED}, rate: 0.1}, {fault: sysfault.Fault{Errno: syscall.EMFILE}, rate: 0.05}},
		sysfault.OpRead:   {{fault: sysfault.Fault{Errno: syscall.EINTR}, rate: 0.05}, {fault: sysfault.Fault{Errno: syscall.EAGAIN}, rate: 0.05}, {fault: sysfault.Fault{Short: 1}, rate: 0.1}},
		sysfault.OpWrite:  {{fault: sysfault.Fault{Errno: syscall.EINTR}, rate: 0.05}, {fault: sysfault.Fault{Errno: syscall.EAGAIN}, rate: 0.05}, {fault: sysfault.Fault{Short: 1}, rate: 0.1}},
		sysfault.OpClose:  {{fault: sysfault.Fault{Errno: syscall.EINTR}, rate: 0.2}, {fault: sysfault.Fault{Errno: syscall.EIO}, rate: 0.1}},
		sysfault.OpWait:   {{fault: sysfault.Fault{Errno: syscall.EINTR}, rate: 0.05}},
	}
	fixture := tlsutil.NewFixture(t)
	before := testutil.Snapshot(t)
	for _, tr := range transports() {
		t.Run(tr.name, func(t *testing.T) {
			h, srv, counter := serveWithDrawnFaults(t, tr, fixture, seed, every)
			dial := tr.dialer(t, fixture)

			errs := make(chan error, clients)
			var wg sync.WaitGroup
			for k := range clients {
				wg.Go(func() {
					conn, err := dial(srv.Addr)
					if err != nil {
						errs <- err
						return
					}
					defer func() { _ = conn.Close() }() // the echo's verdict is the one that counts
					for i := range messages {
						size := 1 + (i*k*7919+i*104729)%65536
						if err := testutil.RoundTrip(conn, testutil.Payload(size, uint64(k*messages+i))); err != nil {
							errs <- fmt.Errorf("client %d, message %d (%d bytes): %w", k, i, size, err)
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			h.WaitClosures(t, clients)
			require.Equal(t, clients, h.Opened())
			require.Zero(t, h.RepeatedCloses())
			t.Logf("%s: %d clients × %d messages echoed byte-exact; %d of %d calls faulted: %s",
				tr.name, clients, messages, counter.Injected(), counter.TotalCalls(), counter)
		})
	}
	testutil.RequireNoLeaks(t, before)
}

func TestInjectedMixOfFaultsThatEndConnectionsReportsEveryCutToOnClosed(t *testing.T) {
	const (
		clients  = 8
		messages = 30
		seed     = 21
	)
	ending := map[sysfault.Op][]drawnFault{
		sysfault.OpAccept:     {{fault: sysfault.Fault{Errno: syscall.EMFILE}, rate: 0.05}, {fault: sysfault.Fault{Errno: syscall.ENOBUFS}, rate: 0.05}},
		sysfault.OpRead:       {{fault: sysfault.Fault{Errno: syscall.ECONNRESET}, rate: 0.01}, {fault: sysfault.Fault{Errno: syscall.ETIMEDOUT}, rate: 0.01}, {fault: sysfault.Fault{Short: 1}, rate: 0.1}, {fault: sysfault.Fault{Errno: syscall.EAGAIN}, rate: 0.05}},
		sysfault.OpWrite:      {{fault: sysfault.Fault{Errno: syscall.EPIPE}, rate: 0.01}, {fault: sysfault.Fault{Errno: syscall.ENOBUFS}, rate: 0.01}, {fault: sysfault.Fault{Short: 1}, rate: 0.1}, {fault: sysfault.Fault{Errno: syscall.EAGAIN}, rate: 0.05}},
		sysfault.OpControl:    {{fault: sysfault.Fault{Errno: syscall.ENOMEM}, rate: 0.02}},
		sysfault.OpSetsockopt: {{fault: sysfault.Fault{Errno: syscall.ENOMEM}, rate: 0.05}},
		sysfault.OpClose:      {{fault: sysfault.Fault{Errno: syscall.EIO}, rate: 0.1}},
	}
	fixture := tlsutil.NewFixture(t)
	before := testutil.Snapshot(t)
	for _, tr := range []transport{transports()[0], transports()[2]} {
		t.Run(tr.name, func(t *testing.T) {
			h, srv, counter := serveWithDrawnFaults(t, tr, fixture, seed, ending)
			dial := tr.dialer(t, fixture)

			type outcome struct {
				remote string
				cut    error
			}
			outcomes := make(chan outcome, clients)
			var wg sync.WaitGroup
			for k := range clients {
				wg.Go(func() {
					conn, err := dial(srv.Addr)
					if err != nil {
						// Dropped before it opened (a refused registration or socket option),
						// or a handshake cut short: no remote to check, the counts below do.
						outcomes <- outcome{cut: err}
						return
					}
					defer func() { _ = conn.Close() }() // the verdict is the echo's
					o := outcome{remote: conn.LocalAddr().String()}
					for i := range messages {
						size := 5 + (i*k*7919+i*104729)%32768
						if err := testutil.RoundTrip(conn, testutil.Payload(size, uint64(k*messages+i))); err != nil {
							o.cut = err
							break
						}
					}
					outcomes <- o
				})
			}
			wg.Wait()
			close(outcomes)
			cut := 0
			for o := range outcomes {
				if o.remote == "" || o.cut == nil {
					continue
				}
				if !h.wasOpened(o.remote) {
					continue // dropped before it opened: logged, and no OnClosed is owed
				}
				cut++
				closure := h.WaitClosedFrom(t, o.remote)
				require.Error(t, closure.Err, "a connection cut short (%v) was reported to OnClosed without an error", o.cut)
			}
			require.Eventually(t, func() bool { return len(h.Closures()) == h.Opened() }, testutil.WaitLimit, testutil.PollEvery)
			require.Zero(t, h.RepeatedCloses())
			t.Logf("%s: %d clients, %d cut by a fault and each reported with an error, %d opened; %d of %d calls faulted: %s",
				tr.name, clients, cut, h.Opened(), counter.Injected(), counter.TotalCalls(), counter)
		})
	}
	testutil.RequireNoLeaks(t, before)
}
