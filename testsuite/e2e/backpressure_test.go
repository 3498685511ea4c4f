package e2e

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// flooder answers every frame with a fixed, large reply and echoes frames that start with
// "echo:".
type flooder struct {
	echoServer
	reply []byte
}

func (h *flooder) React(frame []byte, c api.Conn) api.Action {
	if len(frame) >= 5 && string(frame[:5]) == "echo:" {
		return h.echoServer.React(frame, c)
	}
	if err := c.AsyncWrite(h.reply); err != nil {
		return api.Close
	}
	return api.None
}

// dialNonReader dials addr with a small receive buffer, so that what the kernel holds for a
// client that never reads is small next to what the server is made to queue.
func dialNonReader(t *testing.T, addr net.Addr) *net.TCPConn {
	t.Helper()
	conn := testutil.Dial(t, addr).(*net.TCPConn)
	require.NoError(t, conn.SetReadBuffer(32<<10))
	return conn
}

func TestSlowReaderIsClosedAtTheOutboundLimitWhileOthersAreServed(t *testing.T) {
	t.Parallel()
	const limit = 512 << 10
	h := &flooder{reply: testutil.Payload(64<<10, 8)}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithMaxOutbound(limit))
	healthy := testutil.Dial(t, srv.Addr)
	require.NoError(t, testutil.RoundTrip(healthy, []byte("echo: before")))

	slow := dialNonReader(t, srv.Addr)
	remote := slow.LocalAddr().String()
	// Every request earns a 64 KiB reply that the client never reads, until the server gives
	// up on it. The count bounds the loop should the server never do so.
	for range 100_000 {
		if _, closed := h.ClosedFrom(remote); closed {
			break
		}
		if _, err := slow.Write([]byte{'x'}); err != nil {
			break // the server has closed it
		}
	}
	closure := h.WaitClosedFrom(t, remote)
	require.ErrorIs(t, closure.Err, server.ErrOutboundLimit)
	require.NoError(t, testutil.RoundTrip(healthy, []byte("echo: after")), "another connection stopped being served")
}

// Not parallel: it compares the process's heap before and after.
func TestClientThatSendsWithoutReadingIsPausedNotClosedAndGetsEveryReply(t *testing.T) {
	const (
		highWatermark = 256 << 10
		// budget is far more than the kernel buffers of both sides and the server's
		// watermark together: a client that writes all of it was never held back.
		budget = 96 << 20
		chunk  = 64 << 10
		seed   = 9
	)
	h := new(echoServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithWriteWatermarks(64<<10, highWatermark))
	conn := dialNonReader(t, srv.Addr)
	require.NoError(t, conn.SetWriteBuffer(64<<10))
	remote := conn.LocalAddr().String()
	heapBefore := liveHeap()

	pushed := 0
	for pushed < budget {
		// The deadline only detects that the client is held back; how long it is does
		// not decide the verdict, which is about bytes.
		require.NoError(t, conn.SetWriteDeadline(time.Now().Add(500*time.Millisecond)))
		n, err := conn.Write(testutil.PayloadWindow(seed, pushed, chunk))
		pushed += n
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break // held back: the server stopped reading
		}
		require.NoError(t, err)
	}
	require.Less(t, pushed, budget, "the server kept reading from a client that reads nothing")
	heapGrowth := int64(liveHeap()) - int64(heapBefore)
	require.Less(t, heapGrowth, int64(16<<20), "the server buffered %d bytes for a paused connection", heapGrowth)
	_, closed := h.ClosedFrom(remote)
	require.False(t, closed, "a client under the outbound limit was closed")

	require.NoError(t, conn.SetDeadline(time.Now().Add(testutil.WaitLimit)))
	echoed := make([]byte, pushed)
	_, err := io.ReadFull(conn, echoed)
	require.NoError(t, err)
	require.NoError(t, testutil.SameBytes(echoed, testutil.Payload(pushed, seed)))
	// Reading resumed: the connection serves as before.
	require.NoError(t, testutil.RoundTrip(conn, []byte("resumed")))
}

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

func TestWriteTimeoutClosesAConnectionWhoseReaderNeverReads(t *testing.T) {
	t.Parallel()
	h := &flooder{reply: testutil.Payload(32<<20, 10)}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithWriteTimeOut(1))
	healthy := testutil.Dial(t, srv.Addr)
	conn := dialNonReader(t, srv.Addr)
	_, err := conn.Write([]byte("send me a lot"))
	require.NoError(t, err)

	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
	require.ErrorIs(t, closure.Err, server.ErrWriteTimeout)
	require.NoError(t, testutil.RoundTrip(healthy, []byte("echo: unaffected")))
}
