package codec

import "github.com/gnetio/gnet/api"

// LineBasedFrameCodec frames a stream by lines: each frame ends in CRLFByte ('\n'), and the
// frame handed to React excludes that byte and one '\r' right before it, so both "\n" and
// "\r\n" line endings work. Encode appends '\n' to a reply.
//
// Its maximum frame length counts the bytes of a frame as React sees it (line ending
// excluded). Once more than that is buffered without a line ending, Decode returns an error
// matching both ErrCRLFNotFound and ErrFrameTooLarge. Each Decode scans the buffered bytes
// from the start, so a line that trickles in costs a scan per read of up to the maximum:
// keep the maximum near the longest line the protocol allows.
//
// The zero value is ready to use with DefaultMaxFrameLength. A LineBasedFrameCodec is
// immutable, so one value may serve every connection and goroutine at once.
type LineBasedFrameCodec struct {
	maxFrameLength int
}

var (
	_ api.ICodec    = (*LineBasedFrameCodec)(nil)
	_ AppendEncoder = (*LineBasedFrameCodec)(nil)
)

// NewLineBasedFrameCodec returns a line codec; WithMaxFrameLength sets the longest line it
// accepts.
func NewLineBasedFrameCodec(opts ...Option) *LineBasedFrameCodec {
	return &LineBasedFrameCodec{maxFrameLength: applyOptions(opts).maxFrameLength}
}

// Encode returns a new slice holding buf followed by '\n'. buf should not contain '\n'
// itself, or the peer reads it as several lines. Safe from any goroutine.
func (cd *LineBasedFrameCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) {
	return encodeDelimited(buf, CRLFByte), nil
}

// AppendEncode appends buf and '\n' to dst. Safe from any goroutine; see AppendEncoder.
//
// hot path: no allocation (beyond growing dst)
func (cd *LineBasedFrameCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return appendDelimited(dst, buf, CRLFByte), nil
}

// Decode consumes the next line and returns it without its line ending, or returns
// ErrUnexpectedEOF while no whole line is buffered. Call it only on c's event loop. The frame
// is a view into c's inbound buffer, valid until the callback that receives it returns.
//
// hot path: no allocation
func (cd *LineBasedFrameCodec) Decode(c api.Conn) ([]byte, error) {
	return decodeDelimited(c, CRLFByte, true, effectiveMaxFrameLength(cd.maxFrameLength), ErrCRLFNotFound)
}
