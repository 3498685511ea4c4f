package codec

import (
	"fmt"
	"math"

	"github.com/gnetio/gnet/api"
)

// LengthFieldBasedFrameCodec frames a stream by a length field in each frame's header, in the
// manner of Netty's LengthFieldBasedFrameDecoder and LengthFieldPrepender: DecoderConfig says
// where the field is and what React receives, EncoderConfig how a reply is prefixed.
//
// Decode rejects a frame from its header alone, before buffering it: a length that is
// negative after adjustment or does not fit an int (ErrTooLessLength), or a frame longer than
// DecoderConfig.MaxFrameLength (ErrFrameTooLarge). No buffer is ever sized from a length
// field.
//
// Build one with NewLengthFieldBasedFrameCodec. It is immutable, so one value may serve every
// connection and goroutine at once.
type LengthFieldBasedFrameCodec struct {
	encoder lengthFieldEncoder
	decoder lengthFieldDecoder
}

var (
	_ api.ICodec    = (*LengthFieldBasedFrameCodec)(nil)
	_ AppendEncoder = (*LengthFieldBasedFrameCodec)(nil)
)

// NewLengthFieldBasedFrameCodec checks both configurations and returns a codec built from
// them. It returns ErrUnsupportedLength for a field width other than 1, 2, 3, 4 or 8,
// ErrInvalidConfig for a negative offset or strip count, an overflowing adjustment or an
// unknown byte order, and ErrFrameTooLarge when the decoder's header cannot fit its
// MaxFrameLength.
func NewLengthFieldBasedFrameCodec(enc EncoderConfig, dec DecoderConfig) (*LengthFieldBasedFrameCodec, error) {
	encoder, err := newLengthFieldEncoder(enc)
	if err != nil {
		return nil, err
	}
	decoder, err := newLengthFieldDecoder(dec)
	if err != nil {
		return nil, err
	}
	return &LengthFieldBasedFrameCodec{encoder: encoder, decoder: decoder}, nil
}

// Encode returns a new slice holding the length field and then buf. It returns
// ErrTooLessLength when the adjusted length is negative and ErrUnsupportedLength when it does
// not fit the field. Safe from any goroutine.
func (cd *LengthFieldBasedFrameCodec) Encode(c api.Conn, buf []byte) ([]byte, error) {
	out, err := cd.AppendEncode(make([]byte, 0, cd.encoder.width+len(buf)), c, buf)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AppendEncode appends the length field and then buf to dst, or returns dst unchanged with
// the error Encode would return. Safe from any goroutine; see AppendEncoder.
//
// hot path: no allocation (beyond growing dst)
func (cd *LengthFieldBasedFrameCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	enc := &cd.encoder
	if enc.adjustment > 0 && len(buf) > math.MaxInt-enc.adjustment {
		return dst, cd.lengthDoesNotFitError(len(buf))
	}
	length := len(buf) + enc.adjustment
	if length < 0 {
		return dst, fmt.Errorf("%w: a reply of %d bytes adjusted by %d", ErrTooLessLength, len(buf), enc.adjustment)
	}
	if uint64(length) > enc.largest {
		return dst, cd.lengthDoesNotFitError(len(buf))
	}
	dst = appendLengthField(dst, enc.width, enc.littleEndian, uint64(length))
	return append(dst, buf...), nil
}

func (cd *LengthFieldBasedFrameCodec) lengthDoesNotFitError(n int) error {
	return fmt.Errorf("%w: the length of a reply of %d bytes, adjusted by %d, does not fit a %d-byte length field",
		ErrUnsupportedLength, n, cd.encoder.adjustment, cd.encoder.width)
}

// Decode consumes the next frame and returns it without its first InitialBytesToStrip bytes,
// or returns ErrUnexpectedEOF while the frame is not wholly buffered. Call it only on c's
// event loop. The frame is a view into c's inbound buffer, valid until the callback that
// receives it returns.
//
// hot path: no allocation
func (cd *LengthFieldBasedFrameCodec) Decode(c api.Conn) ([]byte, error) {
	dec := &cd.decoder
	// BufferLength first: Read may have to copy wrapped bytes, wasted work while waiting.
	if c.BufferLength() < dec.headerLength {
		return nil, ErrUnexpectedEOF
	}
	buf := c.Read()
	if len(buf) < dec.headerLength {
		// Only a Conn that breaks its contract gets here.
		return nil, ErrUnexpectedEOF
	}
	frameLength, err := dec.frameLength(readLengthField(buf[dec.offset:dec.headerLength], dec.littleEndian))
	if err != nil {
		return nil, err
	}
	if len(buf) < frameLength {
		return nil, ErrUnexpectedEOF
	}
	c.ShiftN(frameLength)
	return buf[dec.strip:frameLength:frameLength], nil
}

// frameLength turns a length field's value into the length of the whole frame on the wire,
// refusing values that would overflow, go negative, pass the maximum or leave less than the
// bytes to strip. Every comparison is arranged so that no intermediate sum can overflow.
//
// hot path: no allocation
func (dec *lengthFieldDecoder) frameLength(fieldValue uint64) (int, error) {
	switch {
	case fieldValue > math.MaxInt64:
		// Negative when read as a signed 64-bit field, as Netty reads an 8-byte one.
		return 0, fmt.Errorf("%w: length field value %d is negative as a signed 64-bit number", ErrTooLessLength, fieldValue)
	case fieldValue > math.MaxInt:
		// Only where an int has 32 bits: longer than any frame a MaxFrameLength allows.
		return 0, dec.frameTooLargeError(fieldValue)
	}
	value := int(fieldValue)
	if dec.adjustment > 0 && value > math.MaxInt-dec.adjustment {
		return 0, dec.frameTooLargeError(fieldValue)
	}
	bodyLength := value + dec.adjustment
	if bodyLength < 0 {
		return 0, fmt.Errorf("%w: length field value %d adjusted by %d", ErrTooLessLength, value, dec.adjustment)
	}
	// The constructor made sure that headerLength <= maxFrame.
	if bodyLength > dec.maxFrame-dec.headerLength {
		return 0, dec.frameTooLargeError(fieldValue)
	}
	frameLength := dec.headerLength + bodyLength
	if frameLength < dec.strip {
		return 0, fmt.Errorf("%w: a frame of %d bytes is shorter than the %d bytes to strip", ErrTooLessLength, frameLength, dec.strip)
	}
	return frameLength, nil
}

func (dec *lengthFieldDecoder) frameTooLargeError(value uint64) error {
	return fmt.Errorf("%w: length field %d with adjustment %d and a %d-byte header makes a frame over the maximum of %d bytes",
		ErrFrameTooLarge, value, dec.adjustment, dec.headerLength, dec.maxFrame)
}
