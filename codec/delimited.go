package codec

import (
	"bytes"
	"fmt"

	"github.com/gnetio/gnet/api"
)

// decodeDelimited cuts the next frame that ends in delimiter from c's buffered bytes, for the
// line and delimiter codecs. The frame excludes the delimiter and, when trimCR is set, one
// '\r' right before it; it may be at most maxFrameLength bytes long. notFound is the error
// that a too-long frame wraps next to ErrFrameTooLarge.
//
// The search never looks further than the longest legal frame, so a peer that never sends a
// delimiter costs one bounded scan per read and is cut off once it has sent too much.
//
// hot path: no allocation
func decodeDelimited(c api.Conn, delimiter byte, trimCR bool, maxFrameLength int, notFound error) ([]byte, error) {
	if c.BufferLength() == 0 {
		return nil, ErrUnexpectedEOF
	}
	buf := c.Read()
	// A legal frame ends with its delimiter at index maxFrameLength at the latest, or one
	// further when a line codec will trim the '\r' in front of it: search no further.
	// (Comparing len(buf)-slack keeps the arithmetic clear of overflow for any limit.)
	slack := 1
	if trimCR {
		slack = 2
	}
	window := buf
	if len(buf)-slack > maxFrameLength {
		window = buf[:maxFrameLength+slack]
	}
	end := bytes.IndexByte(window, delimiter)
	if end < 0 {
		if !frameMayStillFit(buf, trimCR, maxFrameLength) {
			return nil, delimiterBeyondLimitError(notFound, maxFrameLength)
		}
		return nil, ErrUnexpectedEOF
	}
	frameEnd := end
	if trimCR && end > 0 && buf[end-1] == '\r' {
		frameEnd--
	}
	if frameEnd > maxFrameLength {
		return nil, delimiterBeyondLimitError(notFound, maxFrameLength)
	}
	c.ShiftN(end + 1)
	return buf[:frameEnd:frameEnd], nil
}

// frameMayStillFit reports whether buf, which holds no delimiter, can still grow into a frame
// of at most maxFrameLength bytes once its delimiter arrives.
func frameMayStillFit(buf []byte, trimCR bool, maxFrameLength int) bool {
	if len(buf) <= maxFrameLength {
		return true
	}
	// One byte over is still fine for a line codec if that byte is the '\r' it will trim.
	return trimCR && len(buf)-1 == maxFrameLength && buf[maxFrameLength] == '\r'
}

// delimiterBeyondLimitError builds the error that closes a connection whose next frame is
// longer than the maximum: it matches both notFound and ErrFrameTooLarge.
func delimiterBeyondLimitError(notFound error, maxFrameLength int) error {
	return fmt.Errorf("%w within the maximum frame length of %d bytes: %w", notFound, maxFrameLength, ErrFrameTooLarge)
}

// appendDelimited appends buf and then delimiter to dst.
//
// hot path: no allocation (beyond growing dst)
func appendDelimited(dst, buf []byte, delimiter byte) []byte {
	dst = append(dst, buf...)
	return append(dst, delimiter)
}

// encodeDelimited returns a new slice holding buf and then delimiter: a new one, because
// Encode may run on several goroutines with the same buf and must not append to it.
func encodeDelimited(buf []byte, delimiter byte) []byte {
	return appendDelimited(make([]byte, 0, len(buf)+1), buf, delimiter)
}
