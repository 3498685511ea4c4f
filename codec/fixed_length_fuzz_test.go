package codec_test

import (
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/require"
)

// fixedLengthModel is the fixed-length codec's specification: the next frameLength bytes, once
// that many are buffered; it never fails.
func fixedLengthModel(frameLength int) referenceModel {
	return func(buffered []byte) decodeOutcome {
		if len(buffered) < frameLength {
			return decodeOutcome{}
		}
		return decodeOutcome{frame: buffered[:frameLength], consumed: frameLength}
	}
}

func FuzzFixedLengthDecoder(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, cuts []byte, frameLength uint8) {
		n := 1 + int(frameLength%64)
		cd, err := codec.NewFixedLengthFrameCodec(n)
		require.NoError(t, err)

		frames := checkDecoderAgainstModel(t, cd, fixedLengthModel(n), n, stream, cuts)

		checkReencodedFramesDecode(t, cd, frames, frames)
	})
}
