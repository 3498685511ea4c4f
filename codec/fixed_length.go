package codec

import (
	"fmt"

	"github.com/gnetio/gnet/api"
)

// FixedLengthFrameCodec frames a stream into frames of one fixed length. Encode sends a reply
// as it is, after checking that it is a whole number of frames.
//
// Its maximum frame length only bounds the frame length the constructor accepts, so that a
// length taken from configuration cannot make the engine buffer without limit.
//
// Build one with NewFixedLengthFrameCodec. It is immutable, so one value may serve every
// connection and goroutine at once.
type FixedLengthFrameCodec struct {
	frameLength int
}

var (
	_ api.ICodec    = (*FixedLengthFrameCodec)(nil)
	_ AppendEncoder = (*FixedLengthFrameCodec)(nil)
)

// NewFixedLengthFrameCodec returns a codec whose frames are frameLength bytes long. It
// returns ErrInvalidFixedLength when frameLength < 1 and ErrFrameTooLarge when frameLength is
// above the maximum frame length (DefaultMaxFrameLength unless WithMaxFrameLength says
// otherwise).
func NewFixedLengthFrameCodec(frameLength int, opts ...Option) (*FixedLengthFrameCodec, error) {
	if frameLength < 1 {
		return nil, fmt.Errorf("%w: frame length %d is not positive", ErrInvalidFixedLength, frameLength)
	}
	if limit := effectiveMaxFrameLength(applyOptions(opts).maxFrameLength); frameLength > limit {
		return nil, fmt.Errorf("%w: frame length %d is above %d", ErrFrameTooLarge, frameLength, limit)
	}
	return &FixedLengthFrameCodec{frameLength: frameLength}, nil
}

// Encode returns buf itself when its length is a multiple of the frame length (the engine
// copies a reply before AsyncWrite returns), and ErrInvalidFixedLength otherwise. Safe from
// any goroutine.
func (cd *FixedLengthFrameCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) {
	if len(buf)%cd.frameLength != 0 {
		return nil, cd.notWholeFramesError(len(buf))
	}
	return buf, nil
}

// AppendEncode appends buf to dst when its length is a multiple of the frame length, and
// returns dst unchanged with ErrInvalidFixedLength otherwise. Safe from any goroutine; see
// AppendEncoder.
//
// hot path: no allocation (beyond growing dst)
func (cd *FixedLengthFrameCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	if len(buf)%cd.frameLength != 0 {
		return dst, cd.notWholeFramesError(len(buf))
	}
	return append(dst, buf...), nil
}

func (cd *FixedLengthFrameCodec) notWholeFramesError(n int) error {
	return fmt.Errorf("%w: %d bytes is not a multiple of the frame length %d", ErrInvalidFixedLength, n, cd.frameLength)
}

// Decode consumes and returns the next frame, or returns ErrUnexpectedEOF while fewer bytes
// than the frame length are buffered. Call it only on c's event loop. The frame is a view into
// c's inbound buffer, valid until the callback that receives it returns.
//
// hot path: no allocation
func (cd *FixedLengthFrameCodec) Decode(c api.Conn) ([]byte, error) {
	n := cd.frameLength
	// BufferLength first: Read may have to copy wrapped bytes, wasted work while waiting.
	if c.BufferLength() < n {
		return nil, ErrUnexpectedEOF
	}
	buf := c.Read()
	if len(buf) < n {
		// Only a Conn that breaks its contract gets here; slicing past len would hand out
		// stale bytes from the buffer's spare capacity.
		return nil, ErrUnexpectedEOF
	}
	c.ShiftN(n)
	return buf[:n:n], nil
}
