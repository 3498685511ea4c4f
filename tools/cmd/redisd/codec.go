package main

import (
	"errors"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// respCodec cuts a connection's inbound bytes into batches of whole RESP commands: every
// command buffered when the engine asks, up to the parser's batch limit, is one frame, so that
// a pipeline is parsed in one call and answered by one React with one write. The parsed
// arguments wait in the connection's session for React, which runs right after Decode on the
// same loop.
//
// A protocol error is not returned to the engine, which would close the connection at once:
// the commands before it and the error reply must still be written. Decode consumes
// everything buffered and hands React a frame marked as faulty; React answers and closes.
//
// Replies are already RESP, written with WriteNoCodec, so Encode passes bytes through.
type respCodec struct{}

var (
	_ api.ICodec        = respCodec{}
	_ api.AppendEncoder = respCodec{}
)

// Decode returns the next batch of whole commands, or codec.ErrUnexpectedEOF while none is
// buffered. It runs on the connection's loop.
func (respCodec) Decode(c api.Conn) ([]byte, error) {
	// hot path: no allocation
	s, ok := c.Context().(*session)
	if !ok {
		return nil, errNoSession
	}
	if c.BufferLength() < s.parser.Need() {
		return nil, codec.ErrUnexpectedEOF
	}
	buf := c.Read()
	n, err := s.parser.Parse(buf)
	if err != nil {
		var fault *resp.ProtocolError
		if !errors.As(err, &fault) {
			return nil, err
		}
		s.fault = fault
		// Nothing after the fault can be parsed: the connection ends with this frame.
		c.ShiftN(len(buf))
		s.decoded = true
		return buf, nil
	}
	if n == 0 {
		return nil, codec.ErrUnexpectedEOF
	}
	c.ShiftN(n)
	s.decoded = true
	return buf[:n:n], nil
}

// Encode returns buf unchanged: replies are built in RESP already.
func (respCodec) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }

// AppendEncode appends buf unchanged to dst.
func (respCodec) AppendEncode(dst []byte, _ api.Conn, buf []byte) ([]byte, error) {
	return append(dst, buf...), nil
}
