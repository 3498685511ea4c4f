package e2e

import (
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// heldFrameRecorder is a frameRecorder that stops reading every connection as it opens and
// hands it to the test, which resumes it once the client's bytes are all in the socket: the
// server then takes them in one read, whatever the scheduling.
type heldFrameRecorder struct {
	frameRecorder
	opened *testutil.Conns
}

func newHeldFrameRecorder() *heldFrameRecorder {
	return &heldFrameRecorder{opened: testutil.NewConns(1)}
}

func (h *heldFrameRecorder) OnOpened(c api.Conn) ([]byte, api.Action) {
	if err := c.(api.FlowControl).PauseRead(); err != nil {
		panic(err) // the connection is open in OnOpened; a failure is what the test looks for
	}
	h.opened.Put(c)
	return h.Recorder.OnOpened(c)
}

// sendInOneRead writes payload to a new connection while the server holds its reads, then
// lets the server read it: the kernel has every byte by the time the write returns over
// loopback, so the server's first read takes all of it. It returns the client connection.
func (h *heldFrameRecorder) sendInOneRead(t *testing.T, addr net.Addr, payload []byte) net.Conn {
	t.Helper()
	conn := testutil.Dial(t, addr)
	c := h.opened.Next(t)
	_, err := conn.Write(payload)
	require.NoError(t, err)
	require.NoError(t, c.(api.FlowControl).ResumeRead())
	return conn
}

// frameLengths returns the length of every frame, in order.
func frameLengths(frames [][]byte) []int {
	lengths := make([]int, len(frames))
	for i, f := range frames {
		lengths[i] = len(f)
	}
	return lengths
}

func TestPassthroughCodecCutsEveryReadIntoFramesNoLongerThanItsMaximum(t *testing.T) {
	cases := []struct {
		name  string
		unix  bool
		codec api.ICodec
		size  int
		want  []int
	}{
		{
			name:  "10 KiB read, maximum 4096",
			codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(4096)),
			size:  10 << 10, want: []int{4096, 4096, 2048},
		},
		{
			name: "10 KiB read over a unix socket, maximum 4096", unix: true,
			codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(4096)),
			size:  10 << 10, want: []int{4096, 4096, 2048},
		},
		{
			name:  "a read of exactly the maximum is one frame",
			codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(4096)),
			size:  4096, want: []int{4096},
		},
		{
			name:  "maximum 1000, a read of 3001",
			codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(1000)),
			size:  3001, want: []int{1000, 1000, 1000, 1},
		},
		{
			name:  "the default maximum passes a 10 KiB read whole",
			codec: codec.NewBuiltInFrameCodec(),
			size:  10 << 10, want: []int{10 << 10},
		},
		{
			name: "no codec at all passes a 10 KiB read whole",
			size: 10 << 10, want: []int{10 << 10},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHeldFrameRecorder()
			opts := []server.Option{server.WithLoopNum(1)}
			if tc.codec != nil {
				opts = append(opts, server.WithCodec(tc.codec))
			}
			srv := testutil.StartServer(t, h, loopbackAddress(t, tc.unix), opts...)
			payload := testutil.Payload(tc.size, uint64(tc.size))
			conn := h.sendInOneRead(t, srv.Addr, payload)

			expectRead(t, conn, payload)
			frames := h.received()
			require.Equal(t, tc.want, frameLengths(frames), "frame lengths React saw")
			var joined []byte
			for _, f := range frames {
				joined = append(joined, f...)
			}
			require.NoError(t, testutil.SameBytes(joined, payload), "the frames, in order, are the bytes sent")
		})
	}
}

// countingPassthrough is a passthrough codec of the test's own type, which counts the calls the
// engine makes to it. It keeps the built-in codec's promise (api.PassthroughCodec), so the
// engine is free to skip it.
type countingPassthrough struct {
	*codec.BuiltInFrameCodec
	decodes, encodes atomic.Int64
}

func (cd *countingPassthrough) Decode(c api.Conn) ([]byte, error) {
	cd.decodes.Add(1)
	return cd.BuiltInFrameCodec.Decode(c)
}

func (cd *countingPassthrough) Encode(c api.Conn, buf []byte) ([]byte, error) {
	cd.encodes.Add(1)
	return cd.BuiltInFrameCodec.Encode(c, buf)
}

func TestEngineCutsFramesItselfForAnyCodecThatPromisesPassthrough(t *testing.T) {
	t.Parallel()
	cd := &countingPassthrough{BuiltInFrameCodec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(4096))}
	var _ api.PassthroughCodec = cd
	h := newHeldFrameRecorder()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1), server.WithCodec(cd))
	payload := testutil.Payload(10<<10, 5)
	conn := h.sendInOneRead(t, srv.Addr, payload)

	expectRead(t, conn, payload)
	require.Equal(t, []int{4096, 4096, 2048}, frameLengths(h.received()))
	require.Zero(t, cd.decodes.Load(), "Decode calls")
	require.Zero(t, cd.encodes.Load(), "Encode calls")
}

// unboundedPassthrough claims to hand bytes through but names no limit.
type unboundedPassthrough struct {
	*codec.BuiltInFrameCodec
}

func (unboundedPassthrough) PassthroughLimit() int { return 0 }

func TestPassthroughCodecWithoutAPositiveLimitIsRefusedBeforeServing(t *testing.T) {
	t.Parallel()
	h := new(frameRecorder)
	err := server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLogger(new(testutil.Logger)),
		server.WithCodec(unboundedPassthrough{BuiltInFrameCodec: codec.NewBuiltInFrameCodec()}))
	require.ErrorIs(t, err, server.ErrInvalidOption)
	_, served := h.Server()
	require.False(t, served, "OnInitComplete fired for a server that never started")
}
