package codec

import "github.com/gnetio/gnet/api"

// DelimiterBasedFrameCodec frames a stream by a delimiter byte: each frame ends in it, and the
// frame handed to React excludes it. Encode appends the delimiter to a reply.
//
// Its maximum frame length counts the bytes of a frame without the delimiter. Once more than
// that is buffered without a delimiter, Decode returns an error matching both
// ErrDelimiterNotFound and ErrFrameTooLarge. Each Decode scans the buffered bytes from the
// start, so keep the maximum near the longest frame the protocol allows.
//
// Build one with NewDelimiterBasedFrameCodec. It is immutable, so one value may serve every
// connection and goroutine at once.
type DelimiterBasedFrameCodec struct {
	delimiter      byte
	maxFrameLength int
}

var (
	_ api.ICodec    = (*DelimiterBasedFrameCodec)(nil)
	_ AppendEncoder = (*DelimiterBasedFrameCodec)(nil)
)

// NewDelimiterBasedFrameCodec returns a codec whose frames end in delimiter;
// WithMaxFrameLength sets the longest frame it accepts.
func NewDelimiterBasedFrameCodec(delimiter byte, opts ...Option) *DelimiterBasedFrameCodec {
	return &DelimiterBasedFrameCodec{
		delimiter:      delimiter,
		maxFrameLength: applyOptions(opts).maxFrameLength,
	}
}

// Encode returns a new slice holding buf followed by the delimiter. buf should not contain
// the delimiter itself, or the peer reads it as several frames. Safe from any goroutine.
func (cd *DelimiterBasedFrameCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) {
	return encodeDelimited(buf, cd.delimiter), nil
}

// AppendEncode appends buf and the delimiter to dst. Safe from any goroutine; see
// AppendEncoder.
//
// hot path: no allocation (beyond growing dst)
func (cd *DelimiterBasedFrameCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return appendDelimited(dst, buf, cd.delimiter), nil
}

// Decode consumes the next frame and returns it without its delimiter, or returns
// ErrUnexpectedEOF while no whole frame is buffered. Call it only on c's event loop. The
// frame is a view into c's inbound buffer, valid until the callback that receives it
// returns.
//
// hot path: no allocation
func (cd *DelimiterBasedFrameCodec) Decode(c api.Conn) ([]byte, error) {
	return decodeDelimited(c, cd.delimiter, false, effectiveMaxFrameLength(cd.maxFrameLength), ErrDelimiterNotFound)
}
