package codec

import (
	"errors"
	"io"
)

// The codecs' errors. Decode and Encode wrap them with details (fmt.Errorf's %w), so compare
// with errors.Is, never with ==.
var (
	// ErrInvalidFixedLength is returned by NewFixedLengthFrameCodec for a frame length below 1
	// and by FixedLengthFrameCodec's encoders for a reply whose length is not a multiple of
	// the frame length.
	ErrInvalidFixedLength = errors.New("gnet: invalid fixed length of bytes")
	// ErrUnexpectedEOF is what every decoder returns while no whole frame is buffered yet. It
	// wraps io.ErrUnexpectedEOF, which the engine takes as "wait for more bytes" rather than
	// as a broken stream.
	ErrUnexpectedEOF error = &waitForMoreError{msg: "gnet: there is no enough data"}
	// ErrDelimiterNotFound is wrapped, together with ErrFrameTooLarge, by
	// DelimiterBasedFrameCodec.Decode when more than the maximum frame length is buffered
	// and none of it is the delimiter.
	ErrDelimiterNotFound = errors.New("gnet: there is no such a delimiter")
	// ErrCRLFNotFound is wrapped, together with ErrFrameTooLarge, by
	// LineBasedFrameCodec.Decode when more than the maximum frame length is buffered and
	// none of it ends a line.
	ErrCRLFNotFound = errors.New("gnet: there is no CRLF")
	// ErrUnsupportedLength is returned for a length field width other than 1, 2, 3, 4 or 8
	// bytes, and by LengthFieldBasedFrameCodec's encoders for a reply whose length does not
	// fit the configured width.
	ErrUnsupportedLength = errors.New("gnet: unsupported lengthFieldLength. (expected: 1, 2, 3, 4, or 8)")
	// ErrTooLessLength is returned by LengthFieldBasedFrameCodec when a frame's length is
	// negative once adjusted, when a length field does not fit an int, or when a frame is
	// shorter than the bytes it is configured to strip.
	ErrTooLessLength = errors.New("gnet: adjusted frame length is less than zero")
	// ErrFrameTooLarge is returned by a decoder as soon as it knows that the next frame is
	// longer than its maximum frame length, and by a constructor whose frame length or
	// header cannot fit that maximum.
	ErrFrameTooLarge = errors.New("gnet: frame is longer than the codec's maximum frame length")
	// ErrInvalidConfig is returned by NewLengthFieldBasedFrameCodec for a negative offset or
	// strip count, an adjustment that overflows, or a byte order that is neither big nor
	// little endian.
	ErrInvalidConfig = errors.New("gnet: invalid codec configuration")
)

// CRLFByte is the byte that ends a line for LineBasedFrameCodec. It is a variable only for
// compatibility with the API this package reproduces; change it, if at all, before any
// codec is in use, because codecs read it on every call without synchronisation.
var CRLFByte = byte('\n')

// waitForMoreError is an error with its own message that still satisfies
// errors.Is(err, io.ErrUnexpectedEOF), so the engine's generic "wait" test recognises it.
type waitForMoreError struct {
	msg string
}

func (e *waitForMoreError) Error() string { return e.msg }

func (e *waitForMoreError) Unwrap() error { return io.ErrUnexpectedEOF }
