package codec_test

import (
	"encoding/binary"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/gnetio/gnet/codec"
	"github.com/stretchr/testify/require"
)

// lengthFieldModel is the length-field codec's specification for cfg, computed with
// arbitrary-precision integers so that no overflow can hide a mistake: a frame is
// offset + width + value + adjustment bytes long, must not be negative in its body, longer
// than the maximum or shorter than the bytes to strip, and a value above the largest int is
// refused.
func lengthFieldModel(cfg codec.DecoderConfig, limit int) referenceModel {
	headerLength := cfg.LengthFieldOffset + cfg.LengthFieldLength
	return func(buffered []byte) decodeOutcome {
		if len(buffered) < headerLength {
			return decodeOutcome{}
		}
		field := slices.Clone(buffered[cfg.LengthFieldOffset:headerLength])
		if cfg.ByteOrder == binary.LittleEndian {
			slices.Reverse(field)
		}
		value := new(big.Int).SetBytes(field) // big endian by definition
		if value.Cmp(big.NewInt(math.MaxInt)) > 0 {
			return decodeOutcome{fatal: []error{codec.ErrTooLessLength}}
		}
		body := new(big.Int).Add(value, big.NewInt(int64(cfg.LengthAdjustment)))
		if body.Sign() < 0 {
			return decodeOutcome{fatal: []error{codec.ErrTooLessLength}}
		}
		total := new(big.Int).Add(body, big.NewInt(int64(headerLength)))
		if total.Cmp(big.NewInt(int64(limit))) > 0 {
			return decodeOutcome{fatal: []error{codec.ErrFrameTooLarge}}
		}
		frameLength := int(total.Int64())
		if frameLength < cfg.InitialBytesToStrip {
			return decodeOutcome{fatal: []error{codec.ErrTooLessLength}}
		}
		if len(buffered) < frameLength {
			return decodeOutcome{}
		}
		return decodeOutcome{frame: buffered[cfg.InitialBytesToStrip:frameLength], consumed: frameLength}
	}
}

func FuzzLengthFieldDecoder(f *testing.F) {
	widths := []int{1, 2, 3, 4, 8}
	f.Fuzz(func(t *testing.T, stream, cuts []byte, widthIndex uint8, littleEndian bool, offset uint8, adjustment int8, strip uint8, maxFrame uint16) {
		var order binary.ByteOrder = binary.BigEndian
		if littleEndian {
			order = binary.LittleEndian
		}
		cfg := codec.DecoderConfig{
			ByteOrder:           order,
			LengthFieldOffset:   int(offset % 8),
			LengthFieldLength:   widths[int(widthIndex)%len(widths)],
			LengthAdjustment:    int(adjustment),
			InitialBytesToStrip: int(strip % 16),
		}
		cfg.MaxFrameLength = cfg.LengthFieldOffset + cfg.LengthFieldLength + int(maxFrame%1024)
		cd, err := codec.NewLengthFieldBasedFrameCodec(codec.EncoderConfig{LengthFieldLength: 1}, cfg)
		require.NoError(t, err)

		frames := checkDecoderAgainstModel(t, cd, lengthFieldModel(cfg, cfg.MaxFrameLength), cfg.MaxFrameLength, stream, cuts)

		// Re-encode with a plain prefix of the same width and order, dropping the frames
		// that such a field cannot count, which the encoder must refuse.
		plain, err := codec.NewLengthFieldBasedFrameCodec(
			codec.EncoderConfig{ByteOrder: order, LengthFieldLength: cfg.LengthFieldLength},
			codec.DecoderConfig{ByteOrder: order, LengthFieldLength: cfg.LengthFieldLength, InitialBytesToStrip: cfg.LengthFieldLength})
		require.NoError(t, err)
		var encodable [][]byte
		for _, frame := range frames {
			if _, err := plain.AppendEncode(nil, nil, frame); err != nil {
				require.ErrorIs(t, err, codec.ErrUnsupportedLength)
				require.Greater(t, uint64(len(frame)), uint64(1)<<(8*cfg.LengthFieldLength)-1)
				continue
			}
			encodable = append(encodable, frame)
		}
		checkReencodedFramesDecode(t, plain, encodable, encodable)
	})
}
