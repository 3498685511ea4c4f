package proxytest

import (
	"io"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// greetAndClose greets every connection from OnOpened and closes it at once, counting React
// calls, which must not come.
type greetAndClose struct {
	testutil.Recorder
	reacts atomic.Int32
}

func (h *greetAndClose) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.Recorder.OnOpened(c)
	return []byte("bye " + c.RemoteAddr().String() + "\n"), api.Close
}

func (h *greetAndClose) React([]byte, api.Conn) api.Action {
	h.reacts.Add(1)
	return api.None
}

func TestOnOpenedThatClosesGetsItsGreetingOutAndTheBytesAfterTheHeaderNeverReachReact(t *testing.T) {
	h := new(greetAndClose)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired))
	conn := testutil.Dial(t, srv.Addr)
	_, err := conn.Write(append(testutil.ProxyHeader(t, relayed(1, client4, front4)), "unread request\n"...))
	require.NoError(t, err)

	greeting, err := io.ReadAll(conn)
	require.NoError(t, err)
	require.Equal(t, "bye "+client4.String()+"\n", string(greeting))
	closures := h.WaitClosures(t, 1)
	require.NoError(t, closures[0].Err)
	require.Zero(t, h.reacts.Load(), "React calls")
}
