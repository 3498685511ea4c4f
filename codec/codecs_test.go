package codec_test

import (
	"encoding/binary"
	"io"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// framingCase is a codec that cuts a stream into frames, with frames it encodes and decodes
// back unchanged.
type framingCase struct {
	name   string
	codec  frameCodec
	frames [][]byte
}

func mustLengthFieldCodec(t testing.TB, enc codec.EncoderConfig, dec codec.DecoderConfig) *codec.LengthFieldBasedFrameCodec {
	t.Helper()
	cd, err := codec.NewLengthFieldBasedFrameCodec(enc, dec)
	require.NoError(t, err)
	return cd
}

func mustFixedLengthCodec(t testing.TB, frameLength int, opts ...codec.Option) *codec.FixedLengthFrameCodec {
	t.Helper()
	cd, err := codec.NewFixedLengthFrameCodec(frameLength, opts...)
	require.NoError(t, err)
	return cd
}

// framingCases lists every framing codec in the configurations whose Encode output its Decode
// turns back into the same frames.
func framingCases(t testing.TB) []framingCase {
	// lineFrames leave out a trailing '\r', which the line codec would take as part of a
	// "\r\n" line ending; variableFrames add bytes that only the line codec treats specially.
	lineFrames := [][]byte{
		[]byte("hello"),
		{},
		[]byte("x"),
		patternBytes(200),
		[]byte("carriage\rreturn inside"),
		[]byte("world"),
	}
	variableFrames := append(slices.Clone(lineFrames), []byte("ends in CR\r"), []byte("\r\n"))
	return []framingCase{
		{name: "line", codec: codec.NewLineBasedFrameCodec(), frames: lineFrames},
		{name: "line zero value", codec: &codec.LineBasedFrameCodec{}, frames: lineFrames},
		{name: "delimiter", codec: codec.NewDelimiterBasedFrameCodec(';'), frames: variableFrames},
		{name: "delimiter NUL", codec: codec.NewDelimiterBasedFrameCodec(0), frames: variableFrames},
		{name: "fixed length 4", codec: mustFixedLengthCodec(t, 4), frames: [][]byte{
			[]byte("abcd"), []byte("\n\r;\x00"), []byte("\r\r\r\r"), []byte("wxyz"), []byte("1234"),
		}},
		{name: "fixed length 1", codec: mustFixedLengthCodec(t, 1), frames: [][]byte{
			[]byte("a"), []byte("b"), []byte("\n"), []byte("c"),
		}},
		{name: "length field 1 byte", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{LengthFieldLength: 1},
			codec.DecoderConfig{LengthFieldLength: 1, InitialBytesToStrip: 1}), frames: variableFrames},
		{name: "length field 2 bytes little endian", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 2},
			codec.DecoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 2, InitialBytesToStrip: 2}), frames: variableFrames},
		{name: "length field 3 bytes big endian", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 3},
			codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 3, InitialBytesToStrip: 3}), frames: variableFrames},
		{name: "length field 3 bytes little endian", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 3},
			codec.DecoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 3, InitialBytesToStrip: 3}), frames: variableFrames},
		{name: "length field 4 bytes counting itself", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{LengthFieldLength: 4, LengthIncludesLengthFieldLength: true},
			codec.DecoderConfig{LengthFieldLength: 4, LengthAdjustment: -4, InitialBytesToStrip: 4}), frames: variableFrames},
		{name: "length field 8 bytes little endian", codec: mustLengthFieldCodec(t,
			codec.EncoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 8},
			codec.DecoderConfig{ByteOrder: binary.LittleEndian, LengthFieldLength: 8, InitialBytesToStrip: 8}), frames: variableFrames},
	}
}

func TestEveryCodecDecodesManyEncodedFramesFromOneRead(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			stream := encodeStream(t, tc.codec, tc.frames)

			frames, remaining := decodeChunks(t, tc.codec, stream)

			assert.Equal(t, tc.frames, frames)
			assert.Empty(t, remaining)
		})
	}
}

func TestEveryCodecDecodesAStreamSplitAtEveryByteBoundary(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			stream := encodeStream(t, tc.codec, tc.frames)
			for split := 0; split <= len(stream); split++ {
				frames, remaining := decodeChunks(t, tc.codec, stream[:split], stream[split:])

				require.Equal(t, tc.frames, frames, "stream split at byte %d", split)
				require.Empty(t, remaining, "stream split at byte %d", split)
			}
		})
	}
}

func TestEveryCodecDecodesAStreamFedOneByteAtATime(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			stream := encodeStream(t, tc.codec, tc.frames)

			frames, remaining := decodeChunks(t, tc.codec, splitEvery(stream)...)

			assert.Equal(t, tc.frames, frames)
			assert.Empty(t, remaining)
		})
	}
}

func TestEveryCodecWaitsWithAnErrorWrappingUnexpectedEOFUntilAFrameIsWhole(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			encoded, err := tc.codec.Encode(nil, tc.frames[0])
			require.NoError(t, err)
			c := newMemConn()
			for _, b := range encoded[:len(encoded)-1] {
				c.Buffer([]byte{b})

				frame, err := tc.codec.Decode(c)

				require.Nil(t, frame)
				require.ErrorIs(t, err, codec.ErrUnexpectedEOF)
				require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			}
			c.Buffer(encoded[len(encoded)-1:])
			frame, err := tc.codec.Decode(c)
			require.NoError(t, err)
			assert.Equal(t, tc.frames[0], frame)
		})
	}
}

func TestEveryCodecAppendEncodeAppendsWhatEncodeReturns(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			prefix := []byte("kept")
			dst := append(make([]byte, 0, 1024), prefix...)
			for _, frame := range tc.frames {
				want, err := tc.codec.Encode(nil, frame)
				require.NoError(t, err)

				got, err := tc.codec.AppendEncode(dst, nil, frame)

				require.NoError(t, err)
				assert.Equal(t, prefix, got[:len(prefix)])
				assert.Equal(t, want, got[len(prefix):])
			}
		})
	}
}

func TestEveryCodecReturnsFramesThatPointIntoTheInboundBuffer(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			frame := tc.frames[0]
			require.NotEmpty(t, frame)
			c := newMemConn(encodeStream(t, tc.codec, [][]byte{frame}))
			buffered := c.Read()

			decoded, err := tc.codec.Decode(c)

			require.NoError(t, err)
			require.Equal(t, frame, decoded)
			start := uintptr(unsafe.Pointer(unsafe.SliceData(buffered)))
			at := uintptr(unsafe.Pointer(unsafe.SliceData(decoded)))
			assert.True(t, at >= start && at < start+uintptr(len(buffered)), "the frame was copied out of the buffer")
		})
	}
}

func TestEveryCodecCapsFramesSoThatAppendingCannotOverwriteTheNextFrame(t *testing.T) {
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			// Frames behind the second keep buffered bytes there, so an uncapped first frame
			// would have spare capacity reaching over its consumed delimiter (up to two
			// bytes) and into the second frame.
			c := newMemConn(encodeStream(t, tc.codec, tc.frames[:4]))
			first, err := tc.codec.Decode(c)
			require.NoError(t, err)

			_ = append(first, "ZZZ"...) // the result is dropped: only the side effect matters

			second, err := tc.codec.Decode(c)
			require.NoError(t, err)
			assert.Equal(t, tc.frames[1], second)
		})
	}
}

func TestEveryCodecEncodesConcurrentlyWithoutWritingToTheReply(t *testing.T) {
	const goroutines, encodesEach = 8, 100
	for _, tc := range framingCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			// Spare capacity behind the reply would tempt an Encode that appends in place.
			reply := append(make([]byte, 0, 256), tc.frames[0]...)
			want, err := tc.codec.Encode(nil, tc.frames[0])
			require.NoError(t, err)
			results := make([][]byte, goroutines*encodesEach)
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					for i := range encodesEach {
						encoded, err := tc.codec.Encode(nil, reply)
						if err == nil {
							results[g*encodesEach+i] = append([]byte(nil), encoded...)
						}
					}
				})
			}
			wg.Wait()

			for _, got := range results {
				require.Equal(t, want, got)
			}
			assert.Equal(t, tc.frames[0], reply)
		})
	}
}
