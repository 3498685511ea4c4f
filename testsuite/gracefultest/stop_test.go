package gracefultest

import (
	"net"
	"os"
	"regexp"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/echoload"
)

func TestStopSignalAnswersEveryRequestReadThenClosesEveryConnection(t *testing.T) {
	tests := []struct {
		name   string
		signal os.Signal
		loops  string
	}{
		{name: "SIGTERM to an acceptor feeding two loops", signal: syscall.SIGTERM, loops: "2"},
		{name: "SIGINT to one loop accepting on its own", signal: syscall.SIGINT, loops: "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const clients = 20
			srv := startEcho(t, "-loops", tc.loops)
			addr := srv.waitServing(t, srv.pid())

			var tl echoload.Tally
			var warm sync.WaitGroup
			warm.Add(clients)
			sawClose := make(chan bool, clients)
			for worker := range clients {
				go func() { sawClose <- tl.ConverseUntilClosed(addr, worker, warm.Done) }()
			}
			warm.Wait() // bounded: every conversation has a deadline
			srv.signal(t, tc.signal)
			closes := 0
			for range clients {
				if <-sawClose {
					closes++
				}
			}

			require.Equal(t, 0, srv.waitExit(t), "exit status")
			read := srv.waitStopped(t, srv.pid())
			srv.requireNoConnectionErrors(t)
			tl.RequireEveryRequestAccounted(t)
			require.Equal(t, clients, closes, "clients that saw the server close their connection; %v", &tl)
			require.Zero(t, tl.Garbled.Load()+tl.Failed.Load(), "garbled or failed requests; %v", &tl)
			require.EqualValues(t, clients, tl.ClosedBeforeReply.Load(),
				"only each client's last request, sent after the reply the server closed on, is unanswered; %v", &tl)
			require.Equal(t, read, tl.BytesBack.Load(), "every byte the server read came back; %v", &tl)
		})
	}
}

func TestStopSignalSentAsSoonAsTheServerReportsServingStopsItGracefully(t *testing.T) {
	srv := startEcho(t)
	srv.waitServing(t, srv.pid())

	// A supervisor may signal the moment the server is up; the signal must find the
	// graceful handler in place rather than the default action, which kills.
	srv.signal(t, syscall.SIGTERM)

	require.Equal(t, 0, srv.waitExit(t), "exit status")
	srv.waitStopped(t, srv.pid())
}

func TestConnectionStillOpenAtDrainDeadlineIsClosedWithErrDrainTimeout(t *testing.T) {
	srv := startEcho(t, "-drain", "300ms", "-report-conns")
	addr := srv.waitServing(t, srv.pid())
	idle := dialOpened(t, srv, addr)

	srv.signal(t, syscall.SIGTERM)

	require.Equal(t, 0, srv.waitExit(t), "exit status")
	srv.stdout.waitFor(t, regexp.MustCompile("^closed with error: "+regexp.QuoteMeta(server.ErrDrainTimeout.Error())+"$"), nil)
	require.Equal(t, 1, srv.stdout.count("closed with error"), "connections closed with an error")
	srv.waitStopped(t, srv.pid())
	requireClosedBeforeAnyByte(t, idle)
}

func TestConnectDuringGracefulStopWaitsInTheBacklogInsteadOfBeingRefused(t *testing.T) {
	tests := []struct {
		name  string
		loops string
	}{
		{name: "one loop accepting on its own", loops: "1"},
		{name: "an acceptor feeding two loops", loops: "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startEcho(t, "-drain", "500ms", "-report-conns", "-loops", tc.loops)
			addr := srv.waitServing(t, srv.pid())
			// An idle connection holds the stop in its drain until the deadline.
			idle := dialOpened(t, srv, addr)
			srv.signal(t, syscall.SIGTERM)
			// SignalClose comes after accepting has stopped.
			srv.stdout.waitFor(t, regexp.MustCompile(`^signal close `+regexp.QuoteMeta(idle.LocalAddr().String())+`$`), nil)

			var tl echoload.Tally
			late, err := tl.Dial(addr)

			require.NoError(t, err, "connecting while the server drains")
			defer func() {
				// Reset by the server's exit; our side has nothing left to flush.
				_ = late.Close()
			}()
			require.Equal(t, 0, srv.waitExit(t), "exit status")
			srv.waitStopped(t, srv.pid())
			require.Zero(t, srv.stdout.count("opened "+late.LocalAddr().String()), "a server that stopped accepting opened a connection")
			requireClosedBeforeAnyByte(t, idle)
			requireClosedBeforeAnyByte(t, late)
		})
	}
}

// dialOpened connects to the server and waits until it reports the connection opened (it
// must run with -report-conns): only a connection the server has opened is drained, one still
// in the backlog is not. The connection is closed when the test ends.
func dialOpened(t *testing.T, srv *child, addr string) net.Conn {
	t.Helper()
	var tl echoload.Tally
	conn, err := tl.Dial(addr)
	require.NoError(t, err)
	t.Cleanup(func() {
		// The server has closed it or the test has failed; either way nothing is left to say.
		_ = conn.Close()
	})
	srv.stdout.waitFor(t, regexp.MustCompile(`^opened `+regexp.QuoteMeta(conn.LocalAddr().String())+`$`), nil)
	return conn
}

// requireClosedBeforeAnyByte fails the test unless reading conn ends in end of file or a
// reset without a byte.
func requireClosedBeforeAnyByte(t *testing.T, conn net.Conn) {
	t.Helper()
	n, err := conn.Read(make([]byte, 1))
	require.Zero(t, n, "bytes on a connection that never sent any")
	require.True(t, echoload.ClosedByServer(err), "reading ended with %v, not a close by the server", err)
}
