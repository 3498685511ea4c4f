package codec_test

import (
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// delimitedDecodeCase is one buffered input for a line or delimiter codec and what decoding
// it yields: the frames first, then either a wait with wantRemaining left over, or the error.
type delimitedDecodeCase struct {
	name          string
	max           int
	buffered      string
	wantFrames    []string
	wantRemaining string
	wantTooLarge  bool
}

func runDelimitedDecodeCases(t *testing.T, newCodec func(max int) frameCodec, notFound error, tests []delimitedDecodeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cd := newCodec(tt.max)
			c := newMemConn([]byte(tt.buffered))

			var got []string
			var err error
			for range len(tt.buffered) + 1 {
				var frame []byte
				frame, err = cd.Decode(c)
				if frame == nil {
					break
				}
				got = append(got, string(frame))
			}

			assert.Equal(t, tt.wantFrames, got)
			if tt.wantTooLarge {
				require.ErrorIs(t, err, codec.ErrFrameTooLarge)
				require.ErrorIs(t, err, notFound)
				return
			}
			require.ErrorIs(t, err, codec.ErrUnexpectedEOF)
			assert.Equal(t, tt.wantRemaining, string(c.Read()))
		})
	}
}

func TestLineDecodeCutsLinesEndingInLFOrCRLF(t *testing.T) {
	runDelimitedDecodeCases(t, func(max int) frameCodec {
		return codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(max))
	}, codec.ErrCRLFNotFound, []delimitedDecodeCase{
		{name: "LF", buffered: "PING\n", wantFrames: []string{"PING"}},
		{name: "CRLF", buffered: "PING\r\n", wantFrames: []string{"PING"}},
		{name: "empty lines", buffered: "\n\r\n", wantFrames: []string{"", ""}},
		{name: "CR inside a line stays", buffered: "a\rb\n", wantFrames: []string{"a\rb"}},
		{name: "only one CR is trimmed", buffered: "a\r\r\n", wantFrames: []string{"a\r"}},
		{name: "mixed endings", buffered: "one\ntwo\r\nthree\n", wantFrames: []string{"one", "two", "three"}},
		{name: "partial line waits", buffered: "one\ntw", wantFrames: []string{"one"}, wantRemaining: "tw"},
		{name: "CR without LF waits", buffered: "one\r", wantRemaining: "one\r"},
		{name: "line of the maximum", max: 4, buffered: "abcd\nabcd\r\n", wantFrames: []string{"abcd", "abcd"}},
		{name: "partial line of the maximum waits", max: 4, buffered: "abcd", wantRemaining: "abcd"},
		{name: "partial line of the maximum and a CR waits", max: 4, buffered: "abcd\r", wantRemaining: "abcd\r"},
		{name: "line over the maximum", max: 4, buffered: "ok\nabcde\n", wantFrames: []string{"ok"}, wantTooLarge: true},
		{name: "line over the maximum with CRLF", max: 4, buffered: "abcde\r\n", wantTooLarge: true},
		{name: "partial line over the maximum", max: 4, buffered: "abcde", wantTooLarge: true},
		{name: "partial line over the maximum ending in CR", max: 4, buffered: "abcde\r", wantTooLarge: true},
		{name: "CR past the maximum that is not a line ending", max: 4, buffered: "abcd\rx", wantTooLarge: true},
	})
}

func TestDelimiterDecodeCutsFramesEndingInTheDelimiter(t *testing.T) {
	runDelimitedDecodeCases(t, func(max int) frameCodec {
		return codec.NewDelimiterBasedFrameCodec(';', codec.WithMaxFrameLength(max))
	}, codec.ErrDelimiterNotFound, []delimitedDecodeCase{
		{name: "one frame", buffered: "PING;", wantFrames: []string{"PING"}},
		{name: "CR and LF are ordinary bytes", buffered: "a\r\n;", wantFrames: []string{"a\r\n"}},
		{name: "empty frames", buffered: ";;", wantFrames: []string{"", ""}},
		{name: "partial frame waits", buffered: "one;tw", wantFrames: []string{"one"}, wantRemaining: "tw"},
		{name: "frame of the maximum", max: 4, buffered: "abcd;", wantFrames: []string{"abcd"}},
		{name: "partial frame of the maximum waits", max: 4, buffered: "abcd", wantRemaining: "abcd"},
		{name: "frame over the maximum", max: 4, buffered: "ok;abcde;", wantFrames: []string{"ok"}, wantTooLarge: true},
		{name: "partial frame over the maximum", max: 4, buffered: "abcde", wantTooLarge: true},
		{name: "partial frame over the maximum ending in CR", max: 4, buffered: "abcd\r", wantTooLarge: true},
	})
}

func TestDelimitedCodecsRejectAFrameOverTheDefaultMaximum(t *testing.T) {
	tests := []struct {
		name     string
		codec    frameCodec
		notFound error
	}{
		{name: "line zero value", codec: &codec.LineBasedFrameCodec{}, notFound: codec.ErrCRLFNotFound},
		{name: "line with a non-positive maximum", codec: codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(0)), notFound: codec.ErrCRLFNotFound},
		{name: "delimiter", codec: codec.NewDelimiterBasedFrameCodec('|'), notFound: codec.ErrDelimiterNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMemConn(patternBytes(codec.DefaultMaxFrameLength))
			frame, err := tt.codec.Decode(c)
			require.Nil(t, frame)
			require.ErrorIs(t, err, codec.ErrUnexpectedEOF, "a frame of exactly the maximum may still come")

			c.Buffer([]byte("x"))
			frame, err = tt.codec.Decode(c)

			assert.Nil(t, frame)
			assert.ErrorIs(t, err, codec.ErrFrameTooLarge)
			assert.ErrorIs(t, err, tt.notFound)
		})
	}
}

func TestDelimitedCodecsEncodeByAppendingTheDelimiter(t *testing.T) {
	tests := []struct {
		name  string
		codec frameCodec
		reply string
		want  string
	}{
		{name: "line", codec: codec.NewLineBasedFrameCodec(), reply: "PONG", want: "PONG\n"},
		{name: "line with an empty reply", codec: &codec.LineBasedFrameCodec{}, reply: "", want: "\n"},
		{name: "delimiter", codec: codec.NewDelimiterBasedFrameCodec('$'), reply: "PONG", want: "PONG$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			encoded, err := tt.codec.Encode(nil, []byte(tt.reply))
			require.NoError(t, err)
			appended, err := tt.codec.AppendEncode(nil, nil, []byte(tt.reply))
			require.NoError(t, err)

			assert.Equal(t, tt.want, string(encoded))
			assert.Equal(t, tt.want, string(appended))
		})
	}
}
