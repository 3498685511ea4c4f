package main

import (
	"errors"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// requestCodec cuts a connection's inbound bytes into HTTP requests with httpwire, one frame
// per request (head and body), and leaves the parse in the connection's connState for React.
// Replies bypass it (WriteNoCodec); Encode passes bytes through for AsyncWrite callers.
//
// A request the parser rejects is not a codec error, which would close the connection
// without an answer: Decode consumes every buffered byte, hands them to React as one frame
// and records the reason, so that React can send the 400 (or 413, 431, 501) and close.
type requestCodec struct {
	parser *httpwire.Parser
}

var (
	_ api.ICodec          = (*requestCodec)(nil)
	_ codec.AppendEncoder = (*requestCodec)(nil)
)

// continueResponse is httpwire.ContinueResponse as bytes, converted once. WriteNoCodec copies
// it and never writes to it.
var continueResponse = []byte(httpwire.ContinueResponse)

// Encode returns buf unchanged: responses are written whole by the handler.
func (rc *requestCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }

// AppendEncode appends buf unchanged; see codec.AppendEncoder.
func (rc *requestCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return append(dst, buf...), nil
}

// Decode returns the next whole request buffered on c, or codec.ErrUnexpectedEOF while only
// part of one has arrived. Called by the engine on c's event loop; the frame is valid until
// React returns.
func (rc *requestCodec) Decode(c api.Conn) ([]byte, error) {
	// hot path: no allocation
	if c.BufferLength() == 0 {
		return nil, nil
	}
	st, ok := c.Context().(*connState)
	if !ok {
		return nil, errNoConnState
	}
	buf := c.Read()
	n, err := rc.parser.Parse(buf, &st.req)
	switch {
	case err == nil:
		st.rejected = nil
		st.continueSent = false
		c.ShiftN(n)
		return buf[:n:n], nil
	case errors.Is(err, httpwire.ErrIncomplete):
		if st.req.ExpectContinue && !st.continueSent {
			// The head is whole and the client waits for leave to send the body.
			st.continueSent = true
			if err := c.WriteNoCodec(continueResponse); err != nil {
				return nil, err
			}
		}
		return nil, codec.ErrUnexpectedEOF
	default:
		st.rejected = err
		c.ResetBuffer()
		return buf[:len(buf):len(buf)], nil
	}
}
