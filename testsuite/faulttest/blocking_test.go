package faulttest

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// blocker echoes, except that the frame "block" holds React until release is closed.
type blocker struct {
	api.EventServer
	started chan api.Server
	blocked chan struct{}
	release chan struct{}
}

func (b *blocker) OnInitComplete(s api.Server) api.Action { b.started <- s; return api.None }

func (b *blocker) React(frame []byte, c api.Conn) api.Action {
	if string(frame) == "block" {
		close(b.blocked)
		<-b.release
	}
	_ = c.AsyncWrite(frame)
	return api.None
}

// A callback that blocks holds up every connection on its loop: that is the cost of doing
// blocking work on an event loop, which is the handler's to avoid (hand it to a goroutine and
// reply with AsyncWrite). The test shows the cost: another connection's reply waits for the
// blocked callback, and comes right after it returns.
func TestABlockingCallbackHoldsUpTheOtherConnectionsOfItsLoopUntilItReturns(t *testing.T) {
	b := &blocker{started: make(chan api.Server, 1), blocked: make(chan struct{}), release: make(chan struct{})}
	require.NoError(t, server.Serve(b, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(1)))
	srv := <-b.started
	t.Cleanup(srv.Close)
	released := false
	t.Cleanup(func() {
		if !released {
			close(b.release)
		}
	})

	slow, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	defer func() { _ = slow.Close() }() // the server closes it at cleanup anyway
	other, err := net.Dial("tcp", srv.Addr.String())
	require.NoError(t, err)
	defer func() { _ = other.Close() }() // as above

	_, err = slow.Write([]byte("block"))
	require.NoError(t, err)
	select {
	case <-b.blocked:
	case <-time.After(10 * time.Second):
		t.Fatal("the blocking callback never ran")
	}
	_, err = other.Write([]byte("ping"))
	require.NoError(t, err)
	reply := make([]byte, 4)
	require.NoError(t, other.SetReadDeadline(time.Now().Add(300*time.Millisecond)))
	_, err = io.ReadFull(other, reply)
	var netErr net.Error
	require.ErrorAs(t, err, &netErr, "no reply while the loop is held by another callback")
	require.True(t, netErr.Timeout())

	close(b.release)
	released = true
	require.NoError(t, other.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, err = io.ReadFull(other, reply)
	require.NoError(t, err, "the reply comes once the blocking callback returns")
	require.Equal(t, "ping", string(reply))
}
