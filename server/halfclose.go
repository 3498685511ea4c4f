package server

import "github.com/gnetio/gnet/api"

// Half-close: CloseWrite ends our side of a connection while reading carries on
// (api.HalfCloser), and, with WithHalfClose, the peer's end of stream goes to OnReadClosed
// (api.ReadClosedHandler) instead of closing the connection. The transitions are closeWrite,
// shutdownWrite and peerEnded (conn_state.go).

var _ api.HalfCloser = (*conn)(nil)

// readClosedOf returns h's OnReadClosed when the half-close option is on and h has one.
func readClosedOf(h api.EventHandler, cfg *config) api.ReadClosedHandler {
	if !cfg.HalfClose {
		return nil
	}
	r, _ := h.(api.ReadClosedHandler)
	return r
}

// CloseWrite sends the pending output, then our end of stream; see api.HalfCloser.
func (c *conn) CloseWrite() error {
	if c.datagram {
		return ErrNotStream
	}
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.writeClosed.Swap(true) {
		return nil
	}
	return c.ask(opCloseWrite, ErrConnClosed)
}
