package proxytest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// windingEcho is proxyEcho with the graceful stop of tools/cmd/echo: a connection asked to wind
// down is closed after its next reply. It hands the test every connection SignalClose is
// called for.
type windingEcho struct {
	*proxyEcho
	closing   sync.Map // api.Conn → struct{}
	signalled chan api.Conn
}

func (h *windingEcho) SignalClose(c api.Conn) {
	h.closing.Store(c, struct{}{})
	h.signalled <- c
}

func (h *windingEcho) React(frame []byte, c api.Conn) api.Action {
	if action := h.proxyEcho.React(frame, c); action != api.None {
		return action
	}
	if _, closing := h.closing.LoadAndDelete(c); closing {
		return api.Close
	}
	return api.None
}

// nextSignalled returns the next connection SignalClose was called for.
func (h *windingEcho) nextSignalled(t *testing.T) api.Conn {
	t.Helper()
	select {
	case c := <-h.signalled:
		return c
	case <-time.After(testutil.WaitLimit):
		t.Fatal("SignalClose was not called")
		return nil
	}
}

func TestConnectionWhoseHeaderCompletesDuringAGracefulStopIsAskedToWindDownAsItOpens(t *testing.T) {
	h := &windingEcho{proxyEcho: newProxyEcho(), signalled: make(chan api.Conn, handedOver)}
	// One loop, so that the connection opened first shows when SignalClose has run on the
	// loop that holds the late one; a drain deadline and a header timeout far past every wait
	// of the test, so that the stop ends because both connections closed.
	srv, served := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired),
		server.WithLoopNum(1), server.WithGraceful(true), server.WithDrainTimeout(time.Hour),
		server.WithProxyHeaderTimeout(time.Hour))
	header := testutil.ProxyHeader(t, relayed(2, client4, front4))
	late := testutil.Dial(t, srv.Addr)
	_, err := late.Write(header[:10])
	require.NoError(t, err)
	early := testutil.Dial(t, srv.Addr)
	_, err = early.Write(relayedHeaderFrom(t, client6))
	require.NoError(t, err)
	expectEcho(t, early, "before the stop\n")
	// Accepted in order from one backlog: the late connection was accepted before the early
	// one opened.
	require.Equal(t, client6.String(), h.nextOpening(t).remote.String())

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		srv.Close()
	}()
	h.nextSignalled(t) // the early connection: SignalClose has run on the loop
	_, err = late.Write(append(header[10:], "during the stop\n"...))
	require.NoError(t, err)

	require.Equal(t, client4.String(), h.nextOpening(t).remote.String())
	require.Equal(t, client4.String(), h.nextSignalled(t).RemoteAddr().String(), "the late connection is asked to wind down")
	testutil.ExpectRead(t, late, "during the stop\n")
	_, err = io.ReadAll(late)
	require.NoError(t, err, "the late connection ends after its reply")
	expectEcho(t, early, "last words\n")
	_, err = io.ReadAll(early)
	require.NoError(t, err, "the early connection ends after its reply")
	// Our end of stream ends the server's lingering close of each at once.
	require.NoError(t, late.Close())
	require.NoError(t, early.Close())
	select {
	case <-stopped:
	case <-time.After(testutil.WaitLimit):
		t.Fatal("the graceful stop did not end once both connections had closed")
	}
	require.NoError(t, testutil.WaitServeReturn(t, served))
}

// relayedHeaderFrom is a version 2 header naming src as the client.
func relayedHeaderFrom(t *testing.T, src *net.TCPAddr) []byte {
	return testutil.ProxyHeader(t, relayed(2, src, front6))
}

func TestServerStopClosesConnectionsAwaitingTheirHeaderQuietlyAndLeaksNothing(t *testing.T) {
	before := testutil.Snapshot(t)
	h := newProxyEcho()
	srv, served := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired),
		server.WithLoopNum(2), server.WithProxyHeaderTimeout(time.Hour))
	header := testutil.ProxyHeader(t, relayed(1, client4, front4))
	var waiting []net.Conn
	for range 8 {
		conn, err := testutil.TryDial(srv.Addr)
		require.NoError(t, err)
		waiting = append(waiting, conn)
		_, err = conn.Write(header[:7])
		require.NoError(t, err)
	}
	// A connection that opens shows the loops have taken the ones before it.
	opened := testutil.Dial(t, srv.Addr)
	_, err := opened.Write(header)
	require.NoError(t, err)
	expectEcho(t, opened, "x\n")

	srv.Close()
	require.NoError(t, testutil.WaitServeReturn(t, served))
	for _, conn := range waiting {
		expectClosedByServer(t, conn)
		require.NoError(t, conn.Close())
	}
	require.NoError(t, opened.Close())
	select {
	case r := <-h.refused:
		t.Fatalf("a stop is not a refusal, yet OnProxyHeaderFailed was called: %v", r.err)
	default:
	}
	require.Len(t, h.Closures(), 1, "OnClosed for the one connection that opened, and only for it")
	testutil.RequireNoLeaks(t, before)
}
