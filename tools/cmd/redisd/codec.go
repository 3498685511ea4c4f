package main

import "github.com/gnetio/gnet/api"

// respCodec cuts a connection's inbound bytes into batches of whole RESP commands: every
// command buffered when the engine asks, up to the parser's batch limit, is parsed in one
// call and answered by one React with one write. The frame Decode returns is the batch's
// first command, which it consumes; the parsed commands wait in the connection's session for
// React, which runs right after Decode on the same loop, executes them and consumes each of
// the others once it has run (see session.go).
//
// A protocol error is not returned to the engine, which would close the connection at once:
// the commands before it and the error reply must still be written. React answers them and
// closes.
//
// Replies are already RESP, written with WriteNoCodec, so Encode passes bytes through.
type respCodec struct{}

var (
	_ api.ICodec        = respCodec{}
	_ api.AppendEncoder = respCodec{}
)

// Decode returns the first command of the next batch, or codec.ErrUnexpectedEOF while none is
// buffered or the connection's output must drain first. It runs on the connection's loop.
func (respCodec) Decode(c api.Conn) ([]byte, error) {
	// hot path: no allocation
	s, ok := c.Context().(*session)
	if !ok {
		return nil, errNoSession
	}
	return s.decode()
}

// Encode returns buf unchanged: replies are built in RESP already.
func (respCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }

// AppendEncode appends buf unchanged to dst.
func (respCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return append(dst, buf...), nil
}
