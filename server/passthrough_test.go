package server

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/codec"
)

// passthroughFrame is where a frame React received sat: whether it was a view of the loop's
// read buffer at the offset the bytes before it take up.
type passthroughFrame struct {
	length   int
	inPlace  bool
	contents []byte
}

func TestPassthroughFramesAreViewsOfTheLoopsReadBufferEvenWhenAReadIsCut(t *testing.T) {
	cases := []struct {
		name  string
		limit int
		size  int
		want  []int
	}{
		{name: "the read fits", limit: 4096, size: 3000, want: []int{3000}},
		{name: "the read is cut", limit: 4096, size: 10 << 10, want: []int{4096, 4096, 2048}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opened := make(chan *conn, 1)
			frames := make(chan passthroughFrame, 16)
			offset := 0
			h := &loopProbe{
				onOpened: func(c *conn) {
					// Held until the client's bytes are all in the socket, so that one read
					// takes them.
					c.el.blockReads(c, pausedByUser)
					opened <- c
				},
				onFrame: func(frame []byte, c *conn) {
					frames <- passthroughFrame{
						length:   len(frame),
						inPlace:  len(frame) > 0 && &frame[0] == &c.el.readBuf[offset],
						contents: bytes.Clone(frame),
					}
					offset += len(frame)
				},
			}
			srv := startProbe(t, h, "tcp://127.0.0.1:0", WithLoopNum(1),
				WithCodec(codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(tc.limit))))
			client := dialProbe(t, srv)
			c := <-opened
			payload := bytes.Repeat([]byte("0123456789abcdef"), tc.size/16+1)[:tc.size]
			_, err := client.Write(payload)
			require.NoError(t, err)
			require.NoError(t, c.ResumeRead())

			var got []byte
			for i, want := range tc.want {
				select {
				case f := <-frames:
					require.Equal(t, want, f.length, "frame %d", i)
					require.True(t, f.inPlace, "frame %d was copied out of the read buffer", i)
					got = append(got, f.contents...)
				case <-time.After(probeWait):
					t.Fatalf("frame %d never reached React", i)
				}
			}
			require.Equal(t, payload, got)
		})
	}
}
