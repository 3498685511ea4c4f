package codec_test

import (
	"bytes"
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltInDecodeReturnsEveryBufferedByteAsOneFrame(t *testing.T) {
	c := newMemConn([]byte("first read "), []byte("second read"))

	frame, err := (&codec.BuiltInFrameCodec{}).Decode(c)

	require.NoError(t, err)
	assert.Equal(t, []byte("first read second read"), frame)
	assert.Zero(t, c.BufferLength())
}

func TestBuiltInDecodeReturnsNilWithoutErrorWhenNothingIsBuffered(t *testing.T) {
	frame, err := codec.NewBuiltInFrameCodec().Decode(newMemConn())

	assert.Nil(t, frame)
	assert.NoError(t, err)
}

func TestBuiltInDecodeReturnsAtMostTheMaximumAndLeavesTheRestBuffered(t *testing.T) {
	tests := []struct {
		name       string
		max        int
		buffered   string
		wantFrames []string
	}{
		{name: "below the maximum", max: 4, buffered: "abc", wantFrames: []string{"abc"}},
		{name: "at the maximum", max: 4, buffered: "abcd", wantFrames: []string{"abcd"}},
		{name: "one over the maximum", max: 4, buffered: "abcde", wantFrames: []string{"abcd", "e"}},
		{name: "several times the maximum", max: 2, buffered: "abcdefg", wantFrames: []string{"ab", "cd", "ef", "g"}},
		{name: "non-positive maximum means the default", max: -1, buffered: "abcdefg", wantFrames: []string{"abcdefg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(tt.max))

			frames, remaining := decodeChunks(t, cd, []byte(tt.buffered))

			var got []string
			for _, frame := range frames {
				got = append(got, string(frame))
			}
			assert.Equal(t, tt.wantFrames, got)
			assert.Empty(t, remaining)
		})
	}
}

func TestBuiltInPassthroughLimitIsTheMaximumFrameLength(t *testing.T) {
	tests := []struct {
		name  string
		codec *codec.BuiltInFrameCodec
		want  int
	}{
		{name: "set", codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(4096)), want: 4096},
		{name: "not set", codec: codec.NewBuiltInFrameCodec(), want: codec.DefaultMaxFrameLength},
		{name: "non-positive", codec: codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(0)), want: codec.DefaultMaxFrameLength},
		{name: "zero value", codec: &codec.BuiltInFrameCodec{}, want: codec.DefaultMaxFrameLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.codec.PassthroughLimit())
		})
	}
}

func TestBuiltInDecodeLosesNoByteOfAStreamSplitAtEveryBoundary(t *testing.T) {
	stream := patternBytes(100)
	cd := codec.NewBuiltInFrameCodec(codec.WithMaxFrameLength(7))
	for split := 0; split <= len(stream); split++ {
		frames, remaining := decodeChunks(t, cd, stream[:split], stream[split:])

		require.Equal(t, stream, bytes.Join(frames, nil), "stream split at byte %d", split)
		require.Empty(t, remaining)
		for _, frame := range frames {
			require.LessOrEqual(t, len(frame), 7)
		}
	}
}

func TestBuiltInEncodeReturnsTheReplyItselfAndAppendEncodeAppendsIt(t *testing.T) {
	cd := codec.NewBuiltInFrameCodec()
	reply := []byte("as it is")

	encoded, err := cd.Encode(nil, reply)
	require.NoError(t, err)
	appended, appendErr := cd.AppendEncode([]byte("> "), nil, reply)
	require.NoError(t, appendErr)

	assert.Same(t, &reply[0], &encoded[0])
	assert.Equal(t, reply, encoded)
	assert.Equal(t, []byte("> as it is"), appended)
}
