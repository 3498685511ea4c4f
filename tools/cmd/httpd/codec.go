package main

import (
	"errors"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// requestCodec cuts a connection's inbound bytes into batches of HTTP requests with
// httpwire: every whole request buffered when the engine asks, up to maxBatchRequests, is one
// frame, so that a pipeline is answered by one React with one write, as gnet v2 servers
// answer it from one OnTraffic. The parsed requests wait in the connection's connState for
// React, which runs right after Decode on the same loop. Replies bypass the codec
// (WriteNoCodec); Encode passes bytes through for AsyncWrite callers.
//
// A request the parser rejects is not a codec error, which would close the connection
// without an answer: once the whole requests before it have been answered, Decode consumes
// every buffered byte, hands them to React as one frame and records the reason, so that React
// can send the 400 (or 413, 431, 501) and close.
type requestCodec struct {
	parser *httpwire.Parser
}

var (
	_ api.ICodec        = (*requestCodec)(nil)
	_ api.AppendEncoder = (*requestCodec)(nil)
)

// continueResponse is httpwire.ContinueResponse as bytes, converted once. WriteNoCodec copies
// it and never writes to it.
var continueResponse = []byte(httpwire.ContinueResponse)

// Encode returns buf unchanged: responses are written whole by the handler.
func (rc *requestCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }

// AppendEncode appends buf unchanged; see api.AppendEncoder.
func (rc *requestCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return append(dst, buf...), nil
}

// Decode returns the next batch of whole requests buffered on c, or codec.ErrUnexpectedEOF
// while only part of one has arrived. A batch ends before a request that is not whole or is
// rejected (the next call meets it again, alone), and after one that closes the connection.
// Called by the engine on c's event loop; the frame is valid until React returns.
func (rc *requestCodec) Decode(c api.Conn) ([]byte, error) {
	// hot path: no allocation once the batch has grown to the client's pipeline depth
	if c.BufferLength() == 0 {
		return nil, nil
	}
	st, ok := c.Context().(*connState)
	if !ok {
		return nil, errNoConnState
	}
	buf := c.Read()
	st.batch = st.batch[:0]
	consumed := 0
	for consumed < len(buf) && len(st.batch) < maxBatchRequests {
		req := st.nextRequest()
		n, err := rc.parser.Parse(buf[consumed:], req)
		if err != nil {
			st.dropLastRequest()
			if len(st.batch) > 0 {
				break
			}
			return rc.stopAt(c, st, req, buf, err)
		}
		st.continueSent = false
		consumed += n
		if !req.KeepAlive {
			break // the connection closes after this response: what follows is never read
		}
	}
	c.ShiftN(consumed)
	return buf[:consumed:consumed], nil
}

// stopAt handles the request at the start of buf, which Parse did not return whole: err is
// ErrIncomplete (the client may be waiting for "100 Continue" before it sends the body) or
// the reason the request is rejected, which React is handed every buffered byte to answer.
func (rc *requestCodec) stopAt(c api.Conn, st *connState, req *httpwire.Request, buf []byte, err error) ([]byte, error) {
	if !errors.Is(err, httpwire.ErrIncomplete) {
		st.rejected = err
		c.ResetBuffer()
		return buf[:len(buf):len(buf)], nil
	}
	if req.ExpectContinue && !st.continueSent {
		// The head is whole and the client waits for leave to send the body.
		st.continueSent = true
		if err := c.WriteNoCodec(continueResponse); err != nil {
			return nil, err
		}
	}
	return nil, codec.ErrUnexpectedEOF
}
