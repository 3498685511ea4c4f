package e2e

import (
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// frameEcho writes every decoded frame back through the codec and counts the frames.
type frameEcho struct {
	testutil.Recorder
	frames atomic.Int64
}

func (h *frameEcho) React(frame []byte, c api.Conn) api.Action {
	h.frames.Add(1)
	_ = c.AsyncWrite(frame)
	return api.None
}

// codecCase is a codec with the client side of its wire format.
type codecCase struct {
	name  string
	codec func(t *testing.T) api.ICodec
	// frame returns the i-th test frame's payload.
	frame func(i int) []byte
	// wire encodes a payload the way the codec expects it on the wire.
	wire func(payload []byte) []byte
}

func allCodecCases() []codecCase {
	text := func(i int) []byte { return fmt.Appendf(nil, "frame-%d-%s", i, make([]byte, i%13)) }
	return []codecCase{
		{
			name:  "line",
			codec: func(*testing.T) api.ICodec { return codec.NewLineBasedFrameCodec() },
			frame: func(i int) []byte { return fmt.Appendf(nil, "line %d: %0*d", i, i%17, i) },
			wire:  func(p []byte) []byte { return append(append([]byte(nil), p...), '\n') },
		},
		{
			name:  "delimiter",
			codec: func(*testing.T) api.ICodec { return codec.NewDelimiterBasedFrameCodec('|') },
			frame: func(i int) []byte { return fmt.Appendf(nil, "part %d", i) },
			wire:  func(p []byte) []byte { return append(append([]byte(nil), p...), '|') },
		},
		{
			name: "fixed",
			codec: func(t *testing.T) api.ICodec {
				c, err := codec.NewFixedLengthFrameCodec(8)
				require.NoError(t, err)
				return c
			},
			frame: func(i int) []byte { return fmt.Appendf(nil, "%08d", i) },
			wire:  func(p []byte) []byte { return append([]byte(nil), p...) },
		},
		{
			name: "length",
			codec: func(t *testing.T) api.ICodec {
				c, err := codec.NewLengthFieldBasedFrameCodec(
					codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4},
					codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4, InitialBytesToStrip: 4})
				require.NoError(t, err)
				return c
			},
			frame: func(i int) []byte {
				// Frame contents include the byte values the other codecs use as delimiters.
				p := text(i)
				return append(p, '\n', '|', 0)
			},
			wire: func(p []byte) []byte {
				return append(binary.BigEndian.AppendUint32(nil, uint32(len(p))), p...)
			},
		},
	}
}

func TestEveryCodecEchoesPipelinedAndSplitFramesOverTCPAndUnixOnTwoLoops(t *testing.T) {
	const frames = 300
	for _, cc := range allCodecCases() {
		for _, network := range []string{"tcp", "unix"} {
			t.Run(cc.name+"/"+network, func(t *testing.T) {
				addr := "tcp://127.0.0.1:0"
				if network == "unix" {
					addr = "unix://" + filepath.Join(t.TempDir(), "codec.sock")
				}
				h := &frameEcho{}
				srv := testutil.StartServer(t, h, addr, server.WithLoopNum(2), server.WithCodec(cc.codec(t)))
				var wire []byte
				for i := range frames {
					wire = append(wire, cc.wire(cc.frame(i))...)
				}
				for _, chunk := range []int{len(wire), 7} { // all pipelined in one write, then split
					conn := testutil.Dial(t, srv.Addr)
					require.NoError(t, conn.SetDeadline(time.Now().Add(testutil.WaitLimit)))
					before := h.frames.Load()
					go func() {
						for off := 0; off < len(wire); off += chunk {
							if _, err := conn.Write(wire[off:min(off+chunk, len(wire))]); err != nil {
								return
							}
						}
					}()
					got := make([]byte, len(wire))
					_, err := io.ReadFull(conn, got)
					require.NoError(t, err)
					require.NoError(t, testutil.SameBytes(got, wire), "chunk %d", chunk)
					require.EqualValues(t, frames, h.frames.Load()-before, "React once per frame (chunk %d)", chunk)
					require.NoError(t, conn.Close())
				}
			})
		}
	}
}
