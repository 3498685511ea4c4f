package codec

import (
	"encoding/binary"
	"fmt"
	"math"
)

// EncoderConfig says how LengthFieldBasedFrameCodec prefixes a reply with its length, in the
// manner of Netty's LengthFieldPrepender.
type EncoderConfig struct {
	// ByteOrder of the length field: binary.BigEndian or binary.LittleEndian; nil means
	// big endian.
	ByteOrder binary.ByteOrder
	// LengthFieldLength is the width of the length field in bytes: 1, 2, 3, 4 or 8.
	LengthFieldLength int
	// LengthAdjustment is added to the reply's length before it is written.
	LengthAdjustment int
	// LengthIncludesLengthFieldLength adds the field's own width to the length written.
	LengthIncludesLengthFieldLength bool
}

// DecoderConfig says where LengthFieldBasedFrameCodec finds a frame's length and what it hands
// to React, in the manner of Netty's LengthFieldBasedFrameDecoder. A frame is
// LengthFieldOffset + LengthFieldLength + (length field value) + LengthAdjustment bytes long;
// React receives it without its first InitialBytesToStrip bytes.
type DecoderConfig struct {
	// ByteOrder of the length field: binary.BigEndian or binary.LittleEndian; nil means
	// big endian.
	ByteOrder binary.ByteOrder
	// LengthFieldOffset is how many bytes of the frame come before the length field.
	LengthFieldOffset int
	// LengthFieldLength is the width of the length field in bytes: 1, 2, 3, 4 or 8.
	LengthFieldLength int
	// LengthAdjustment is added to the length field's value to get the number of bytes that
	// follow the field; negative when the value also counts the header, for example.
	LengthAdjustment int
	// InitialBytesToStrip is how many bytes to drop from the start of each frame before
	// handing it to React (typically the header, LengthFieldOffset + LengthFieldLength).
	InitialBytesToStrip int
	// MaxFrameLength is the longest frame accepted, in bytes, counted on the wire: header,
	// length field and payload, before stripping. 0 or less means DefaultMaxFrameLength.
	MaxFrameLength int
}

// isSupportedLengthFieldWidth reports whether a length field may be width bytes wide.
func isSupportedLengthFieldWidth(width int) bool {
	switch width {
	case 1, 2, 3, 4, 8:
		return true
	}
	return false
}

// largestLengthFieldValue is the largest value a length field of width bytes holds.
func largestLengthFieldValue(width int) uint64 {
	if width >= 8 {
		return math.MaxUint64
	}
	return 1<<(8*width) - 1
}

// isLittleEndian tells the two byte orders apart by what they make of a probe, because
// binary.NativeEndian and user-defined orders are types of their own that compare unequal to
// binary.LittleEndian and binary.BigEndian.
func isLittleEndian(order binary.ByteOrder) (bool, error) {
	if order == nil {
		return false, nil
	}
	probe := []byte{1, 2, 3, 4}
	switch order.Uint32(probe) {
	case 0x01020304:
		return false, nil
	case 0x04030201:
		return true, nil
	}
	return false, fmt.Errorf("%w: byte order %v is neither big nor little endian", ErrInvalidConfig, order)
}

// lengthFieldEncoder is an EncoderConfig checked and reduced to what encoding needs.
type lengthFieldEncoder struct {
	width        int
	littleEndian bool
	// adjustment is everything added to a reply's length: LengthAdjustment plus, when
	// configured, the field's own width.
	adjustment int
	largest    uint64
}

func newLengthFieldEncoder(cfg EncoderConfig) (lengthFieldEncoder, error) {
	if !isSupportedLengthFieldWidth(cfg.LengthFieldLength) {
		return lengthFieldEncoder{}, fmt.Errorf("%w: encoder length field of %d bytes", ErrUnsupportedLength, cfg.LengthFieldLength)
	}
	little, err := isLittleEndian(cfg.ByteOrder)
	if err != nil {
		return lengthFieldEncoder{}, fmt.Errorf("encoder: %w", err)
	}
	adjustment := cfg.LengthAdjustment
	if cfg.LengthIncludesLengthFieldLength {
		if adjustment > math.MaxInt-cfg.LengthFieldLength {
			return lengthFieldEncoder{}, fmt.Errorf("%w: encoder LengthAdjustment %d overflows", ErrInvalidConfig, adjustment)
		}
		adjustment += cfg.LengthFieldLength
	}
	return lengthFieldEncoder{
		width:        cfg.LengthFieldLength,
		littleEndian: little,
		adjustment:   adjustment,
		largest:      largestLengthFieldValue(cfg.LengthFieldLength),
	}, nil
}

// lengthFieldDecoder is a DecoderConfig checked and reduced to what decoding needs.
type lengthFieldDecoder struct {
	offset       int
	width        int
	headerLength int // offset + width: the bytes needed before the frame length is known
	littleEndian bool
	adjustment   int
	strip        int
	maxFrame     int
}

func newLengthFieldDecoder(cfg DecoderConfig) (lengthFieldDecoder, error) {
	if !isSupportedLengthFieldWidth(cfg.LengthFieldLength) {
		return lengthFieldDecoder{}, fmt.Errorf("%w: decoder length field of %d bytes", ErrUnsupportedLength, cfg.LengthFieldLength)
	}
	little, err := isLittleEndian(cfg.ByteOrder)
	if err != nil {
		return lengthFieldDecoder{}, fmt.Errorf("decoder: %w", err)
	}
	if cfg.LengthFieldOffset < 0 || cfg.InitialBytesToStrip < 0 {
		return lengthFieldDecoder{}, fmt.Errorf("%w: decoder LengthFieldOffset %d and InitialBytesToStrip %d must not be negative",
			ErrInvalidConfig, cfg.LengthFieldOffset, cfg.InitialBytesToStrip)
	}
	maxFrame := effectiveMaxFrameLength(cfg.MaxFrameLength)
	if cfg.LengthFieldOffset > maxFrame-cfg.LengthFieldLength {
		return lengthFieldDecoder{}, fmt.Errorf("%w: a length field at offset %d does not fit MaxFrameLength %d",
			ErrFrameTooLarge, cfg.LengthFieldOffset, maxFrame)
	}
	return lengthFieldDecoder{
		offset:       cfg.LengthFieldOffset,
		width:        cfg.LengthFieldLength,
		headerLength: cfg.LengthFieldOffset + cfg.LengthFieldLength,
		littleEndian: little,
		adjustment:   cfg.LengthAdjustment,
		strip:        cfg.InitialBytesToStrip,
		maxFrame:     maxFrame,
	}, nil
}
