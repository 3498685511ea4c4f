package codec_test

import (
	"io"
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/assert"
)

func TestErrorsCarryTheMessagesOfTheSeedAPIWithTheGnetPrefix(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "ErrInvalidFixedLength", err: codec.ErrInvalidFixedLength, want: "gnet: invalid fixed length of bytes"},
		{name: "ErrUnexpectedEOF", err: codec.ErrUnexpectedEOF, want: "gnet: there is no enough data"},
		{name: "ErrDelimiterNotFound", err: codec.ErrDelimiterNotFound, want: "gnet: there is no such a delimiter"},
		{name: "ErrCRLFNotFound", err: codec.ErrCRLFNotFound, want: "gnet: there is no CRLF"},
		{name: "ErrUnsupportedLength", err: codec.ErrUnsupportedLength, want: "gnet: unsupported lengthFieldLength. (expected: 1, 2, 3, 4, or 8)"},
		{name: "ErrTooLessLength", err: codec.ErrTooLessLength, want: "gnet: adjusted frame length is less than zero"},
		{name: "ErrFrameTooLarge", err: codec.ErrFrameTooLarge, want: "gnet: frame is longer than the codec's maximum frame length"},
		{name: "ErrInvalidConfig", err: codec.ErrInvalidConfig, want: "gnet: invalid codec configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.EqualError(t, tt.err, tt.want)
		})
	}
}

func TestErrUnexpectedEOFIsIOErrUnexpectedEOFSoTheEngineWaits(t *testing.T) {
	assert.ErrorIs(t, codec.ErrUnexpectedEOF, io.ErrUnexpectedEOF)
	assert.NotErrorIs(t, io.ErrUnexpectedEOF, codec.ErrUnexpectedEOF, "the match goes one way only")
	assert.NotErrorIs(t, codec.ErrFrameTooLarge, io.ErrUnexpectedEOF, "a fatal error must not read as wait")
}

func TestCRLFByteIsLineFeed(t *testing.T) {
	assert.Equal(t, byte('\n'), codec.CRLFByte)
}
