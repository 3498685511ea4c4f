package faulttest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// echoRecorder writes every frame back through the codec and records every connection's life.
type echoRecorder struct {
	testutil.Recorder
}

func (h *echoRecorder) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

// trickle is what one slowloris client did: its address as the server sees it, how many bytes
// it sent before it noticed the server had cut it off, and the error that stopped it, if any
// other than the cut itself.
type trickle struct {
	remote string
	sent   int
	err    error
}

// trickleUntilCut dials addr and sends chunk every pause, never a line ending, until the
// server closes the connection or maxWrites writes have gone out.
func trickleUntilCut(addr net.Addr, h *echoRecorder, chunk []byte, pause time.Duration, maxWrites int) trickle {
	conn, err := testutil.TryDial(addr)
	if err != nil {
		return trickle{err: err}
	}
	defer func() {
		_ = conn.Close() // the server has normally closed it already; this frees the descriptor
	}()
	result := trickle{remote: conn.LocalAddr().String()}
	for range maxWrites {
		if _, closed := h.ClosedFrom(result.remote); closed {
			return result
		}
		n, err := conn.Write(chunk)
		result.sent += n
		if err != nil {
			return result // the server's close reached us as a reset or a broken pipe
		}
		time.Sleep(pause)
	}
	return result
}

func TestSlowlorisLinesAreCutAtTheMaxFrameWhileANormalClientIsServed(t *testing.T) {
	const (
		clients     = 50
		maxFrame    = 1024
		roundTrips  = 200
		chunkLength = 32
		// Far more writes than it takes to pass the maximum, so the bound only matters
		// should the server never cut the line.
		maxWrites = 4 * maxFrame / chunkLength
	)
	h := new(echoRecorder)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2),
		server.WithCodec(codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(maxFrame))),
		server.WithIdleTimeout(500*time.Millisecond))
	normal := testutil.Dial(t, srv.Addr)

	chunk := make([]byte, chunkLength)
	for i := range chunk {
		chunk[i] = 'a' + byte(i%26)
	}
	trickles := make(chan trickle, clients)
	var wg sync.WaitGroup
	for range clients {
		// A write every 50 ms is ten times within the idle timeout: these peers are slow,
		// never idle.
		wg.Go(func() { trickles <- trickleUntilCut(srv.Addr, h, chunk, 50*time.Millisecond, maxWrites) })
	}

	for i := range roundTrips {
		line := fmt.Appendf(nil, "request %d", i)
		require.NoError(t, testutil.RoundTrip(normal, append(line, '\n')), "round trip %d", i)
		time.Sleep(5 * time.Millisecond)
	}

	wg.Wait()
	close(trickles)
	for tr := range trickles {
		require.NoError(t, tr.err)
		closure := h.WaitClosedFrom(t, tr.remote)
		require.ErrorIs(t, closure.Err, codec.ErrFrameTooLarge, "closed for the endless line, not as idle")
		require.ErrorIs(t, closure.Err, codec.ErrCRLFNotFound)
		require.Greater(t, tr.sent, maxFrame, "cut before the line passed the maximum")
	}
	_, normalClosed := h.ClosedFrom(normal.LocalAddr().String())
	require.False(t, normalClosed, "the normal client was closed")
	t.Logf("slowloris: %d trickling connections cut with ErrFrameTooLarge, %d round trips served meanwhile", clients, roundTrips)
}

// flood is what a client that writes without reading achieved: the bytes the kernel took and
// the error that stopped it.
type flood struct {
	pushed int
	err    error
}

// floodWithoutReading writes budget bytes to conn in chunks, never reading, until a write
// stalls past its deadline (the server stopped reading) or fails (the server closed it).
func floodWithoutReading(conn net.Conn, budget, chunk int) flood {
	var f flood
	for f.pushed < budget {
		// The deadline detects that writes are held back; its length decides nothing.
		if err := conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
			f.err = err
			return f
		}
		n, err := conn.Write(testutil.PayloadWindow(11, f.pushed, chunk))
		f.pushed += n
		if err != nil {
			f.err = err
			return f
		}
	}
	return f
}

// Not parallel: it compares the process's heap before and after.
func TestPeerThatSendsWithoutReadingIsHeldBackWithBoundedMemoryWhileAnotherIsServed(t *testing.T) {
	const (
		budget         = 64 << 20
		chunk          = 64 << 10
		heapGrowthCeil = 32 << 20
	)
	h := new(echoRecorder)
	// One loop, default limits: the flooder and the healthy client share everything.
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1))
	healthy := testutil.Dial(t, srv.Addr)
	flooder := testutil.Dial(t, srv.Addr).(*net.TCPConn)
	require.NoError(t, flooder.SetReadBuffer(32<<10))
	remote := flooder.LocalAddr().String()
	heapBefore := liveHeap()

	done := make(chan flood, 1)
	go func() { done <- floodWithoutReading(flooder, budget, chunk) }()
	served := 0
	var result flood
	for waiting := true; waiting; {
		select {
		case result = <-done:
			waiting = false
		default:
			msg := testutil.Payload(512, uint64(served))
			require.NoError(t, testutil.RoundTrip(healthy, msg), "the healthy client stopped being served")
			served++
		}
	}
	heapGrowth := int64(liveHeap()) - int64(heapBefore)

	require.Positive(t, served)
	require.Less(t, heapGrowth, int64(heapGrowthCeil), "the server buffered %d bytes for a peer that reads nothing", heapGrowth)
	closure, closed := h.ClosedFrom(remote)
	switch {
	case errors.Is(result.err, os.ErrDeadlineExceeded):
		require.False(t, closed, "a paused connection was also closed: %v", closure.Err)
		require.Less(t, result.pushed, budget)
	case result.err != nil:
		closure = h.WaitClosedFrom(t, remote)
		require.ErrorIs(t, closure.Err, server.ErrOutboundLimit)
	default:
		t.Fatalf("the server took all %d bytes from a peer that reads nothing", result.pushed)
	}
	require.NoError(t, testutil.RoundTrip(healthy, []byte("still served")))
	t.Logf("flood: %d bytes pushed before being held back (%v), heap grew %d bytes, %d healthy round trips meanwhile",
		result.pushed, result.err, heapGrowth, served)
}

// Not parallel: it counts the process's goroutines and descriptors.
func TestConnectChurnClosesEveryOpenedConnectionOnceAndLeaksNothing(t *testing.T) {
	const (
		dialers   = 8
		perDialer = 625
		cycles    = dialers * perDialer
	)
	before := testutil.Snapshot(t)
	t.Run("churn", func(t *testing.T) {
		h := new(echoRecorder)
		srv, _ := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
		steady := testutil.Dial(t, srv.Addr)

		failures := make(chan error, cycles)
		var wg sync.WaitGroup
		for range dialers {
			wg.Go(func() {
				for range perDialer {
					conn, err := testutil.TryDial(srv.Addr)
					if err != nil {
						failures <- err
						continue
					}
					if err := conn.Close(); err != nil {
						failures <- err
					}
				}
			})
		}
		churned := make(chan struct{})
		go func() { wg.Wait(); close(churned) }()
		echoes := 0
		for waiting := true; waiting; {
			select {
			case <-churned:
				waiting = false
			default:
				require.NoError(t, testutil.RoundTrip(steady, testutil.Payload(256, uint64(echoes))))
				echoes++
			}
		}
		close(failures)
		for err := range failures {
			require.NoError(t, err, "a connect or close failed")
		}

		require.Eventually(t, func() bool { return h.Opened() == cycles+1 && len(h.Closures()) == cycles },
			testutil.WaitLimit, testutil.PollEvery, "every churned connection is opened and closed")
		require.Zero(t, h.RepeatedCloses())
		for _, closure := range h.Closures() {
			require.NoError(t, closure.Err, "a client's orderly close is reported without an error")
		}
		require.NoError(t, testutil.RoundTrip(steady, []byte("after the churn")))
		require.Positive(t, echoes)
		t.Logf("churn: %d connect-close cycles, %d steady round trips meanwhile", cycles, echoes)
	})
	testutil.RequireNoLeaks(t, before)
}

// frameLog echoes every frame and keeps, per connection, the frames React saw.
type frameLog struct {
	testutil.Recorder
	mu     sync.Mutex
	frames map[string][][]byte
}

func (h *frameLog) React(frame []byte, c api.Conn) api.Action {
	remote := c.RemoteAddr().String()
	h.mu.Lock()
	if h.frames == nil {
		h.frames = make(map[string][][]byte)
	}
	h.frames[remote] = append(h.frames[remote], append([]byte(nil), frame...))
	h.mu.Unlock()
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

// encodedEcho is what the server must have sent back to remote: every frame it saw, encoded.
func (h *frameLog) encodedEcho(t *testing.T, cd api.ICodec, remote string) []byte {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var want []byte
	for _, frame := range h.frames[remote] {
		out, err := cd.Encode(nil, frame)
		require.NoError(t, err)
		want = append(want, out...)
	}
	return want
}

// codecErrors are the sentinels a decoder may wrap when it refuses a stream.
var codecErrors = []error{
	codec.ErrFrameTooLarge, codec.ErrTooLessLength, codec.ErrCRLFNotFound,
	codec.ErrDelimiterNotFound, codec.ErrInvalidFixedLength, codec.ErrUnsupportedLength,
}

func isCodecError(err error) bool {
	for _, sentinel := range codecErrors {
		if errors.Is(err, sentinel) {
			return true
		}
	}
	return false
}

func mustFixedLength(t *testing.T, n int) api.ICodec {
	t.Helper()
	cd, err := codec.NewFixedLengthFrameCodec(n)
	require.NoError(t, err)
	return cd
}

func mustLengthField(t *testing.T, width, maxFrame int) api.ICodec {
	t.Helper()
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: width},
		codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: width, InitialBytesToStrip: width, MaxFrameLength: maxFrame})
	require.NoError(t, err)
	return cd
}

func TestGarbageToEveryCodecIsEchoedOrClosedWithACodecErrorWhileAWellFormedClientIsServed(t *testing.T) {
	const (
		garbageClients = 16
		garbageLength  = 8 << 10
	)
	cases := []struct {
		name            string
		codec           api.ICodec
		wellFormedFrame []byte
	}{
		{name: "line, 256-byte maximum", codec: codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(256)), wellFormedFrame: []byte("hello\n")},
		{name: "line, default maximum", codec: codec.NewLineBasedFrameCodec(), wellFormedFrame: []byte("hello\n")},
		{name: "delimiter '|', 256-byte maximum", codec: codec.NewDelimiterBasedFrameCodec('|', codec.WithMaxFrameLength(256)), wellFormedFrame: []byte("hello|")},
		{name: "fixed, 8 bytes", codec: mustFixedLength(t, 8), wellFormedFrame: []byte("12345678")},
		{name: "length field, 1 byte", codec: mustLengthField(t, 1, 0), wellFormedFrame: []byte("\x05hello")},
		{name: "length field, 4 bytes, 1 KiB maximum", codec: mustLengthField(t, 4, 1024), wellFormedFrame: []byte("\x00\x00\x00\x05hello")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := new(frameLog)
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2), server.WithCodec(tc.codec))
			wellFormed := testutil.Dial(t, srv.Addr)
			require.NoError(t, testutil.RoundTrip(wellFormed, tc.wellFormedFrame))

			echoed, cut := 0, 0
			for client := range garbageClients {
				conn := testutil.Dial(t, srv.Addr).(*net.TCPConn)
				remote := conn.LocalAddr().String()
				_, err := conn.Write(testutil.Payload(garbageLength, uint64(client)))
				if err == nil {
					// Half-close: a server still reading echoes every whole frame and then
					// closes too, so the stream below ends either way.
					err = conn.CloseWrite()
				}
				if err != nil {
					// A server that cut the connection may reset it under our write; the
					// closure below says why.
					t.Logf("client %d: %v", client, err)
				}
				got, _ := io.ReadAll(conn) // a reset ends the stream as surely as end of file
				closure := h.WaitClosedFrom(t, remote)
				require.True(t, closure.Err == nil || isCodecError(closure.Err),
					"closed for a reason other than the codec's verdict or the client's close: %v", closure.Err)
				if closure.Err == nil {
					echoed++
					require.NoError(t, testutil.SameBytes(got, h.encodedEcho(t, tc.codec, remote)),
						"the echo is every frame React saw, encoded")
				} else {
					cut++
					want := h.encodedEcho(t, tc.codec, remote)
					require.LessOrEqual(t, len(got), len(want), "more arrived than React was given")
					require.NoError(t, testutil.SameBytes(got, want[:len(got)]), "what arrived before the cut is a prefix of the echo")
				}
				require.NoError(t, testutil.RoundTrip(wellFormed, tc.wellFormedFrame), "the well-formed client stopped being served")
			}
			require.Zero(t, h.RepeatedCloses())
			t.Logf("garbage %s: %d connections echoed, %d closed with a codec error", tc.name, echoed, cut)
		})
	}
}
