package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// replyThenClose answers the first frame with reply and closes the connection, by returning
// Close or by calling c.Close, as byAction says.
type replyThenClose struct {
	testutil.Recorder
	reply    []byte
	byAction bool
}

func (h *replyThenClose) React(_ []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(h.reply); err != nil {
		return api.Close
	}
	if h.byAction {
		return api.Close
	}
	if err := c.Close(); err != nil {
		panic(err) // a failed Close from the loop is what the test looks for
	}
	return api.None
}

func TestReplyArrivesBeforeEOFWhenReactCloses(t *testing.T) {
	cases := []struct {
		name      string
		byAction  bool
		replySize int
	}{
		{name: "Close action, small reply", byAction: true, replySize: 10},
		{name: "Close action, 4 MiB reply", byAction: true, replySize: 4 << 20},
		{name: "c.Close, small reply", replySize: 10},
		{name: "c.Close, 4 MiB reply", replySize: 4 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &replyThenClose{reply: testutil.Payload(tc.replySize, 5), byAction: tc.byAction}
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
			conn := testutil.Dial(t, srv.Addr)
			_, err := conn.Write([]byte("close me"))
			require.NoError(t, err)
			expectRead(t, conn, h.reply)
			expectEOF(t, conn)
			closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
			require.NoError(t, closure.Err)
		})
	}
}

func TestCloseFromAnotherGoroutineDeliversQueuedOutputFirst(t *testing.T) {
	t.Parallel()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	conn := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	reply := testutil.Payload(4<<20, 6)
	require.NoError(t, c.AsyncWrite(reply))
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "closing twice is not an error")

	expectRead(t, conn, reply)
	expectEOF(t, conn)
	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
	require.NoError(t, closure.Err)
	require.ErrorIs(t, c.AsyncWrite([]byte("late")), server.ErrConnClosed)
	require.Zero(t, h.RepeatedCloses())
}

// stopOnRequest echoes frames and returns Shutdown when a frame says "stop".
type stopOnRequest struct {
	echoServer
}

func (h *stopOnRequest) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "stop" {
		return api.Shutdown
	}
	return h.echoServer.React(frame, c)
}

func TestShutdownFromReactStopsTheServer(t *testing.T) {
	t.Parallel()
	h := new(stopOnRequest)
	srv, served := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	bystander := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.RoundTrip(bystander, []byte("still here")))
	conn := testutil.Dial(t, srv.Addr)
	_, err := conn.Write([]byte("stop"))
	require.NoError(t, err)

	require.NoError(t, testutil.WaitServeReturn(t, served))
	expectEOF(t, conn)
	expectEOF(t, bystander)
	for _, closure := range h.Closures() {
		require.ErrorIs(t, closure.Err, server.ErrServerShutdown)
	}
	require.Len(t, h.Closures(), 2)
}
