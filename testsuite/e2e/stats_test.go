package e2e

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Frames that make statsServer do something other than echo.
const (
	floodRequest = "flood" // reply with floodChunks frames of floodChunk bytes
	closeRequest = "close" // reply "bye" and close
	panicRequest = "panic" // panic in React
	floodChunks  = 16
	floodChunk   = 1 << 20
)

// statsServer echoes every frame, except the requests above.
type statsServer struct {
	testutil.Recorder
}

func (h *statsServer) React(frame []byte, c api.Conn) api.Action {
	switch string(frame) {
	case floodRequest:
		chunk := make([]byte, floodChunk)
		for range floodChunks {
			if err := c.AsyncWrite(chunk); err != nil {
				return api.Close
			}
		}
		return api.None
	case closeRequest:
		_ = c.AsyncWrite([]byte("bye")) // the close follows either way
		return api.Close
	case panicRequest:
		panic("statsServer: asked to")
	}
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// lengthFieldCodec frames with a 4-byte big-endian length; frames above 1 KiB are refused.
func lengthFieldCodec(t *testing.T) api.ICodec {
	t.Helper()
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{LengthFieldLength: 4},
		codec.DecoderConfig{LengthFieldLength: 4, InitialBytesToStrip: 4, MaxFrameLength: 1024},
	)
	require.NoError(t, err)
	return cd
}

// sendFrame writes one length-prefixed frame holding payload.
func sendFrame(t *testing.T, conn net.Conn, payload string) {
	t.Helper()
	_, err := conn.Write(lengthPrefixed([][]byte{[]byte(payload)}))
	require.NoError(t, err)
}

// waitStats waits until done holds for the server's statistics and returns them.
func waitStats(t *testing.T, srv api.Server, what string, done func(api.ServerStats) bool) api.ServerStats {
	t.Helper()
	var last api.ServerStats
	require.Eventually(t, func() bool {
		last = srv.Stats()
		return done(last)
	}, testutil.WaitLimit, testutil.PollEvery, what)
	return last
}

// The statistics count known traffic exactly: every connection, frame and byte, and every
// close by its cause. Four clients echo 50 frames of 100 bytes each and close (the peer);
// five more end in each of the other ways a test can cause on purpose: silence (the idle
// timeout), a request for 16 MiB they never read (the write timeout), a frame over the codec's
// limit, a request the handler answers by closing, and one it panics on.
func TestStatisticsCountKnownTrafficExactlyWithEveryCloseByItsCause(t *testing.T) {
	t.Parallel()
	const (
		echoClients = 4
		frames      = 50
		frameSize   = 100
		wireFrame   = 4 + frameSize
	)
	h := new(statsServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2), server.WithCodec(lengthFieldCodec(t)),
		server.WithIdleTimeout(3*time.Second), server.WithWriteTimeOut(1))

	// Echo: every frame comes back, then the client closes.
	payload := bytes.Repeat([]byte{'e'}, frameSize)
	request := lengthPrefixed([][]byte{payload})
	for range echoClients {
		conn := testutil.Dial(t, srv.Addr)
		for range frames {
			require.NoError(t, testutil.RoundTrip(conn, request))
		}
		require.NoError(t, conn.Close())
	}

	idle := testutil.Dial(t, srv.Addr) // sends nothing

	oversized := testutil.Dial(t, srv.Addr)
	_, err := oversized.Write(binary.BigEndian.AppendUint32(nil, 1<<20)) // the header alone
	require.NoError(t, err)
	expectClosedByServer(t, oversized)

	handlerClosed := testutil.Dial(t, srv.Addr)
	sendFrame(t, handlerClosed, closeRequest)
	expectRead(t, handlerClosed, lengthPrefixed([][]byte{[]byte("bye")}))
	expectEOF(t, handlerClosed)

	panicking := testutil.Dial(t, srv.Addr)
	sendFrame(t, panicking, panicRequest)
	expectClosedByServer(t, panicking)

	flooded := testutil.Dial(t, srv.Addr)
	sendFrame(t, flooded, floodRequest)
	closure := h.WaitClosedFrom(t, flooded.LocalAddr().String())
	require.ErrorIs(t, closure.Err, server.ErrWriteTimeout)
	// What the kernel took before the timeout is still delivered: the client reads all of it,
	// which is how many bytes the server wrote to that connection.
	floodedBytes, err := io.Copy(io.Discard, flooded)
	require.NoError(t, err)

	require.ErrorIs(t, h.WaitClosedFrom(t, idle.LocalAddr().String()).Err, server.ErrIdleTimeout)

	const clients = echoClients + 5
	st := waitStats(t, srv, "every connection counted as closed", func(s api.ServerStats) bool {
		return s.Total.ClosedTotal() == clients
	})
	total := st.Total
	var want [api.NumCloseCauses]uint64
	want[api.CausePeer] = echoClients
	want[api.CauseIdleTimeout] = 1
	want[api.CauseWriteTimeout] = 1
	want[api.CauseCodecError] = 1
	want[api.CauseHandler] = 1
	want[api.CausePanic] = 1
	require.Equal(t, want, total.Closed, "closes by cause")
	require.EqualValues(t, clients, total.Accepted)
	require.Zero(t, total.ConnsOpen)
	require.Zero(t, total.OutboundBytes)

	control := 3 * (4 + len(closeRequest)) // the close, panic and flood requests
	require.EqualValues(t, echoClients*frames*wireFrame+control+4, total.BytesIn,
		"bytes in: the echo frames, the three requests and the oversized header")
	require.EqualValues(t, echoClients*frames+3, total.FramesIn, "frames in: the echo frames and the three requests")
	require.EqualValues(t, echoClients*frames+floodChunks+1, total.FramesOut,
		"frames out: the echoes, the flood's chunks and the goodbye")
	require.EqualValues(t, echoClients*frames*wireFrame+(4+len("bye"))+int(floodedBytes), total.BytesOut,
		"bytes out: the echoes, the goodbye and what the flooded client received")
	require.Less(t, floodedBytes, int64(floodChunks*(4+floodChunk)), "the flood was cut short by the write timeout")

	// The loops' figures add up to the total, and each names its index.
	require.Len(t, st.Loops, 2)
	var sum api.LoopStats
	for i := range st.Loops {
		require.Equal(t, i, st.Loops[i].Index)
		sum.Add(&st.Loops[i])
	}
	require.Equal(t, total.Closed, sum.Closed)
	require.Equal(t, total.BytesIn, sum.BytesIn)
	require.Equal(t, total.FramesOut, sum.FramesOut)
	require.Equal(t, total.Accepted, sum.Accepted)
	require.Equal(t, -1, total.Index)
	require.NotZero(t, total.Turns)
	require.NotZero(t, total.Busy)
}

// A connection open counts in ConnsOpen until it closes, and a server's stop closes it with
// its own cause.
func TestStatisticsCountOpenConnectionsAndCloseThemAsServerStopAtClose(t *testing.T) {
	t.Parallel()
	h := new(echoServer)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1))
	const open = 3
	for range open {
		conn := testutil.Dial(t, srv.Addr)
		require.NoError(t, testutil.RoundTrip(conn, []byte("ping")))
	}
	require.EqualValues(t, open, srv.Stats().Total.ConnsOpen)

	srv.Close()

	total := srv.Stats().Total
	require.Zero(t, total.ConnsOpen)
	require.EqualValues(t, open, total.Closed[api.CauseServerStop])
	require.EqualValues(t, open, total.ClosedTotal())
}
