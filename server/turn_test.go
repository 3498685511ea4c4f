package server

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/netpoll"
)

// turnProbe hands the test every connection it opens, and holds its loop inside React on the
// frame "hold" until the test says go on.
type turnProbe struct {
	api.EventServer
	started chan api.Server
	opened  chan api.Conn
	held    chan struct{}
	release chan struct{}
}

func newTurnProbe() *turnProbe {
	return &turnProbe{
		started: make(chan api.Server, 1),
		opened:  make(chan api.Conn, 4),
		held:    make(chan struct{}),
		release: make(chan struct{}),
	}
}

func (h *turnProbe) OnInitComplete(s api.Server) api.Action { h.started <- s; return api.None }

func (h *turnProbe) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened <- c
	return nil, api.None
}

func (h *turnProbe) React(frame []byte, _ api.Conn) api.Action {
	if string(frame) == "hold" {
		h.held <- struct{}{}
		<-h.release
	}
	return api.None
}

// serveTurnProbe starts h on one loop and connects two clients to it: one to hold the loop
// with, and a target, whose server side it also returns.
func serveTurnProbe(t *testing.T, h *turnProbe) (target *conn, holderClient, targetClient net.Conn) {
	t.Helper()
	require.NoError(t, Serve(h, "tcp://127.0.0.1:0", WithBlock(false), WithLoopNum(1), WithLogger(discardLogger{})))
	srv := <-h.started
	t.Cleanup(srv.Close)
	dial := func() (*conn, net.Conn) {
		client, err := net.Dial("tcp", srv.Addr.String())
		require.NoError(t, err)
		t.Cleanup(func() { _ = client.Close() }) // the server closes its side at cleanup too
		require.NoError(t, client.SetDeadline(time.Now().Add(time.Minute)))
		select {
		case c := <-h.opened:
			return c.(*conn), client
		case <-time.After(time.Minute):
			t.Fatal("OnOpened never fired")
			return nil, nil
		}
	}
	_, holderClient = dial()
	target, targetClient = dial()
	return target, holderClient, targetClient
}

// Writes from another goroutine cross the task queue once: the loop writes them at the end of
// the turn that ran them, without queuing a second task (and waking itself a second time) to
// flush. Each round holds the loop in a callback while another goroutine makes a batch of
// writes, so that the batch meets a busy loop and shares one wake-up; it then cost one
// wake-up, not one for the writes and another for their flush.
func TestABatchOfWritesFromAnotherGoroutineCostsOneWakeup(t *testing.T) {
	const (
		rounds   = 50
		perBatch = 10
	)
	h := newTurnProbe()
	target, holderClient, targetClient := serveTurnProbe(t, h)
	poller := target.el.poller
	message := []byte("0123456789abcdef")
	before := poller.Stats()

	for range rounds {
		_, err := holderClient.Write([]byte("hold"))
		require.NoError(t, err)
		<-h.held
		for range perBatch {
			require.NoError(t, target.AsyncWrite(message))
		}
		h.release <- struct{}{}
		_, err = io.ReadFull(targetClient, make([]byte, perBatch*len(message)))
		require.NoError(t, err)
	}

	after := poller.Stats()
	require.EqualValues(t, rounds*perBatch, after.Triggers-before.Triggers, "one task per write, and no other")
	require.LessOrEqual(t, after.Wakeups-before.Wakeups, uint64(rounds), "more than one wake-up per batch")
}

// An event for a connection's descriptor that was pending when the connection closed, and
// that the poller reports after the number was given to a new connection, is dropped: it
// carries the old registration's token. Here it would otherwise abort a close whose output is
// still being written.
func TestAStaleEventDoesNotReachTheConnectionThatReusedItsDescriptor(t *testing.T) {
	h := newTurnProbe()
	target, _, _ := serveTurnProbe(t, h)
	el := target.el
	stale := target.token ^ 1<<40 // the same descriptor, another generation
	aborted := make(chan bool, 1)

	require.NoError(t, el.trigger(func(any) error {
		el.requestClose(target, nil, false)
		_, err := target.outbound.Write([]byte("still to be written")) // what a real reply would queue
		require.NoError(t, err)
		require.NoError(t, el.handleEvent(stale, netpoll.EventHangup|netpoll.EventError))
		aborted <- target.discardOutput
		target.outbound.Reset()
		return nil
	}, nil))

	require.False(t, <-aborted, "a stale hang-up reached the connection")
}

// discardLogger drops the engine's logs.
type discardLogger struct{}

func (discardLogger) Debugf(string, ...any) {}
func (discardLogger) Infof(string, ...any)  {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Fatalf(string, ...any) {}
