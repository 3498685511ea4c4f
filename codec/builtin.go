package codec

import "github.com/gnetio/gnet/api"

// BuiltInFrameCodec is the passthrough codec, the engine's default: every Decode hands over
// whatever bytes are buffered as one frame, and Encode sends a reply as it is. Use it for
// protocols that frame their own messages in React.
//
// Its maximum frame length bounds one Decode's result: when more bytes than that are
// buffered, Decode returns the first maximum-length slice and leaves the rest for the next
// call. The zero value is ready to use with DefaultMaxFrameLength. A BuiltInFrameCodec is
// immutable, so one value may serve every connection and goroutine at once.
//
// It implements api.PassthroughCodec, so the engine does not call it: it cuts each read into
// frames of at most the maximum frame length itself, without a copy.
type BuiltInFrameCodec struct {
	maxFrameLength int
}

var (
	_ api.PassthroughCodec = (*BuiltInFrameCodec)(nil)
	_ AppendEncoder        = (*BuiltInFrameCodec)(nil)
)

// NewBuiltInFrameCodec returns a passthrough codec; WithMaxFrameLength sets how many bytes one
// Decode may return at most.
func NewBuiltInFrameCodec(opts ...Option) *BuiltInFrameCodec {
	return &BuiltInFrameCodec{maxFrameLength: applyOptions(opts).maxFrameLength}
}

// PassthroughLimit returns the maximum frame length, in bytes: the most one Decode returns.
// See api.PassthroughCodec.
func (cd *BuiltInFrameCodec) PassthroughLimit() int {
	return effectiveMaxFrameLength(cd.maxFrameLength)
}

// Encode returns buf itself: the engine copies a reply before AsyncWrite returns, so no copy
// is needed here. Safe from any goroutine.
func (cd *BuiltInFrameCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) {
	return buf, nil
}

// AppendEncode appends buf to dst unchanged. Safe from any goroutine; see AppendEncoder.
//
// hot path: no allocation (beyond growing dst)
func (cd *BuiltInFrameCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return append(dst, buf...), nil
}

// Decode consumes and returns every buffered byte (at most the maximum frame length), or nil
// and a nil error when nothing is buffered. Call it only on c's event loop. The frame is a
// view into c's inbound buffer, valid until the callback that receives it returns.
//
// hot path: no allocation
func (cd *BuiltInFrameCodec) Decode(c api.Conn) ([]byte, error) {
	if c.BufferLength() == 0 {
		return nil, nil
	}
	buf := c.Read()
	if limit := effectiveMaxFrameLength(cd.maxFrameLength); len(buf) > limit {
		c.ShiftN(limit)
		return buf[:limit:limit], nil
	}
	c.ResetBuffer()
	return buf[:len(buf):len(buf)], nil
}
