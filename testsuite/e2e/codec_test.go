package e2e

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// frameRecorder echoes every frame and keeps a copy of each, in the order React saw them.
type frameRecorder struct {
	testutil.Recorder
	mu     sync.Mutex
	frames [][]byte
}

func (h *frameRecorder) React(frame []byte, c api.Conn) api.Action {
	h.mu.Lock()
	h.frames = append(h.frames, append([]byte(nil), frame...))
	h.mu.Unlock()
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func (h *frameRecorder) received() [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.frames...)
}

// newLengthPrefixCodec frames with a 4-byte big-endian length before each payload.
func newLengthPrefixCodec(t *testing.T) api.ICodec {
	t.Helper()
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4},
		codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4, InitialBytesToStrip: 4},
	)
	require.NoError(t, err)
	return cd
}

// lengthPrefixed is what the client sends and expects back: every payload after its length.
func lengthPrefixed(payloads [][]byte) []byte {
	var wire []byte
	for _, p := range payloads {
		wire = binary.BigEndian.AppendUint32(wire, uint32(len(p)))
		wire = append(wire, p...)
	}
	return wire
}

// oddChunks cuts wire into pieces whose sizes cycle through small odd numbers and a few
// larger ones, so that frame boundaries and length fields fall in the middle of writes.
func oddChunks(wire []byte) [][]byte {
	sizes := []int{1, 3, 2, 7, 13, 5, 31, 61, 127, 509, 1021}
	var chunks [][]byte
	for i := 0; len(wire) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(wire))
		chunks = append(chunks, wire[:n])
		wire = wire[n:]
	}
	return chunks
}

func TestLengthFieldCodecReactsOncePerFrameWithTheExactFrame(t *testing.T) {
	payloads := make([][]byte, 120)
	for i := range payloads {
		// Every size from empty to a few kilobytes, the empty frame included.
		payloads[i] = testutil.Payload(i*i%3001, uint64(i))
	}
	wire := lengthPrefixed(payloads)
	cases := []struct {
		name       string
		split      bool
		readBuffer int
		loops      int
	}{
		{name: "all frames pipelined in one write", loops: 1},
		{name: "all frames pipelined in one write, two loops", loops: 2},
		{name: "frames split across writes at odd boundaries", split: true, loops: 1},
		{name: "pipelined, read 7 bytes at a time", readBuffer: 7, loops: 1},
		{name: "split across writes, read 4 KiB at a time", split: true, readBuffer: 4096, loops: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := new(frameRecorder)
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithCodec(newLengthPrefixCodec(t)),
				server.WithLoopNum(tc.loops), server.WithReadBufferSize(tc.readBuffer))
			conn := testutil.Dial(t, srv.Addr)
			chunks := [][]byte{wire}
			if tc.split {
				chunks = oddChunks(wire)
			}
			written := make(chan error, 1)
			go func() { written <- writeAll(conn, chunks) }()
			echoed := make([]byte, len(wire))
			_, err := io.ReadFull(conn, echoed)
			require.NoError(t, err)
			require.NoError(t, <-written)

			require.NoError(t, testutil.SameBytes(echoed, wire), "the echo re-encodes every frame as sent")
			frames := h.received()
			require.Len(t, frames, len(payloads), "React calls")
			for i := range payloads {
				require.NoError(t, testutil.SameBytes(frames[i], payloads[i]), "frame %d", i)
			}
		})
	}
}

func writeAll(conn net.Conn, chunks [][]byte) error {
	for i, chunk := range chunks {
		if _, err := conn.Write(chunk); err != nil {
			return fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	return nil
}

func TestOversizedFrameClosesOnlyThatConnectionWithTheCodecError(t *testing.T) {
	t.Parallel()
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{LengthFieldLength: 4},
		codec.DecoderConfig{LengthFieldLength: 4, InitialBytesToStrip: 4, MaxFrameLength: 1024},
	)
	require.NoError(t, err)
	h := new(frameRecorder)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithCodec(cd))
	healthy := testutil.Dial(t, srv.Addr)
	small := lengthPrefixed([][]byte{[]byte("fits")})
	require.NoError(t, testutil.RoundTrip(healthy, small))

	conn := testutil.Dial(t, srv.Addr)
	// Only the header: the frame is refused before its body is buffered.
	_, err = conn.Write(binary.BigEndian.AppendUint32(nil, 1<<30))
	require.NoError(t, err)
	expectClosedByServer(t, conn)
	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
	require.ErrorIs(t, closure.Err, codec.ErrFrameTooLarge)
	require.NoError(t, testutil.RoundTrip(healthy, small))
}

// stuckCodec returns a frame without consuming any input: a broken codec that would make a
// naive loop spin forever.
type stuckCodec struct{}

func (stuckCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }
func (stuckCodec) Decode(c api.Conn) ([]byte, error)             { return c.Read(), nil }

func TestCodecThatConsumesNothingClosesTheConnectionInsteadOfSpinning(t *testing.T) {
	t.Parallel()
	h := new(frameRecorder)
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithCodec(stuckCodec{}))
	conn := testutil.Dial(t, srv.Addr)
	_, err := conn.Write([]byte("never consumed"))
	require.NoError(t, err)
	expectClosedByServer(t, conn)
	closure := h.WaitClosedFrom(t, conn.LocalAddr().String())
	require.ErrorIs(t, closure.Err, server.ErrCodecNoProgress)
	require.Empty(t, h.received(), "React was called for a frame that consumed no input")
}
