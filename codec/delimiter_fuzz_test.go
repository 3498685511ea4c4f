package codec_test

import (
	"bytes"
	"testing"

	"github.com/gnetio/gnet/codec"
)

// delimiterModel is the delimiter codec's specification: a frame is what precedes the first
// delimiter and may be at most limit bytes long; with no delimiter buffered, it waits only while
// a delimiter arriving next could still end a legal frame.
func delimiterModel(delimiter byte, limit int) referenceModel {
	return func(buffered []byte) decodeOutcome {
		tooLarge := decodeOutcome{fatal: []error{codec.ErrFrameTooLarge, codec.ErrDelimiterNotFound}}
		end := bytes.IndexByte(buffered, delimiter)
		if end < 0 {
			if len(buffered) > limit {
				return tooLarge
			}
			return decodeOutcome{}
		}
		if end > limit {
			return tooLarge
		}
		return decodeOutcome{frame: buffered[:end], consumed: end + 1}
	}
}

func FuzzDelimiterDecoder(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, cuts []byte, delimiter, maxFrame uint8) {
		limit := 1 + int(maxFrame)
		cd := codec.NewDelimiterBasedFrameCodec(delimiter, codec.WithMaxFrameLength(limit))

		frames := checkDecoderAgainstModel(t, cd, delimiterModel(delimiter, limit), limit, stream, cuts)

		checkReencodedFramesDecode(t, cd, frames, frames)
	})
}
