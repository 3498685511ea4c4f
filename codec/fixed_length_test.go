package codec_test

import (
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewFixedLengthRejectsLengthsOutsideOneToTheMaximum(t *testing.T) {
	tests := []struct {
		name        string
		frameLength int
		opts        []codec.Option
		wantErr     error
	}{
		{name: "zero", frameLength: 0, wantErr: codec.ErrInvalidFixedLength},
		{name: "negative", frameLength: -8, wantErr: codec.ErrInvalidFixedLength},
		{name: "over the default maximum", frameLength: codec.DefaultMaxFrameLength + 1, wantErr: codec.ErrFrameTooLarge},
		{name: "over a configured maximum", frameLength: 65, opts: []codec.Option{codec.WithMaxFrameLength(64)}, wantErr: codec.ErrFrameTooLarge},
		{name: "one", frameLength: 1},
		{name: "the default maximum", frameLength: codec.DefaultMaxFrameLength},
		{name: "a configured maximum", frameLength: 64, opts: []codec.Option{codec.WithMaxFrameLength(64)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd, err := codec.NewFixedLengthFrameCodec(tt.frameLength, tt.opts...)

			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, cd)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, cd)
		})
	}
}

func TestFixedLengthEncodeAcceptsOnlyWholeFrames(t *testing.T) {
	cd := mustFixedLengthCodec(t, 4)
	tests := []struct {
		name    string
		reply   string
		wantErr bool
	}{
		{name: "empty", reply: ""},
		{name: "one frame", reply: "abcd"},
		{name: "two frames", reply: "abcdefgh"},
		{name: "short of one frame", reply: "abc", wantErr: true},
		{name: "one frame and a bit", reply: "abcde", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("kept")

			encoded, err := cd.Encode(nil, []byte(tt.reply))
			appended, appendErr := cd.AppendEncode(dst, nil, []byte(tt.reply))

			if tt.wantErr {
				assert.ErrorIs(t, err, codec.ErrInvalidFixedLength)
				assert.Nil(t, encoded)
				assert.ErrorIs(t, appendErr, codec.ErrInvalidFixedLength)
				assert.Equal(t, []byte("kept"), appended)
				return
			}
			require.NoError(t, err)
			require.NoError(t, appendErr)
			assert.Equal(t, tt.reply, string(encoded))
			assert.Equal(t, "kept"+tt.reply, string(appended))
		})
	}
}

func TestFixedLengthDecodeWaitsForAWholeFrameAndLeavesTheRest(t *testing.T) {
	cd := mustFixedLengthCodec(t, 3)
	tests := []struct {
		name          string
		buffered      string
		wantFrames    [][]byte
		wantRemaining string
	}{
		{name: "nothing", buffered: ""},
		{name: "short of a frame", buffered: "ab", wantRemaining: "ab"},
		{name: "one frame", buffered: "abc", wantFrames: [][]byte{[]byte("abc")}},
		{name: "two frames and a bit", buffered: "abcdefg", wantFrames: [][]byte{[]byte("abc"), []byte("def")}, wantRemaining: "g"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames, remaining := decodeChunks(t, cd, []byte(tt.buffered))

			assert.Equal(t, tt.wantFrames, frames)
			assert.Equal(t, tt.wantRemaining, string(remaining))
		})
	}
}
