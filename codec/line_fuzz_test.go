package codec_test

import (
	"bytes"
	"testing"

	"github.com/gnetio/gnet/codec"
)

// lineModel is the line codec's specification: a frame is what precedes the first '\n', minus
// one '\r' right before it, and may be at most limit bytes long; with no '\n' buffered, it
// waits only while a '\n' arriving next could still end a legal frame.
func lineModel(limit int) referenceModel {
	return func(buffered []byte) decodeOutcome {
		tooLarge := decodeOutcome{fatal: []error{codec.ErrFrameTooLarge, codec.ErrCRLFNotFound}}
		end := bytes.IndexByte(buffered, '\n')
		if end < 0 {
			if len(bytes.TrimSuffix(buffered, []byte("\r"))) > limit {
				return tooLarge
			}
			return decodeOutcome{}
		}
		frame := bytes.TrimSuffix(buffered[:end], []byte("\r"))
		if len(frame) > limit {
			return tooLarge
		}
		return decodeOutcome{frame: frame, consumed: end + 1}
	}
}

func FuzzLineDecoder(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, cuts []byte, maxFrame uint8) {
		limit := 1 + int(maxFrame)
		cd := codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(limit))

		frames := checkDecoderAgainstModel(t, cd, lineModel(limit), limit, stream, cuts)

		// A frame that ends in '\r' loses it on the way back: "\r\n" is a line ending.
		want := make([][]byte, len(frames))
		for i, frame := range frames {
			want[i] = bytes.TrimSuffix(frame, []byte("\r"))
		}
		checkReencodedFramesDecode(t, cd, frames, want)
	})
}
