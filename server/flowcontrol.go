package server

import "github.com/gnetio/gnet/api"

// Flow control between connections: PauseRead/ResumeRead, OutboundLength, and the
// OnWritabilityChanged notification (callbacks.go) for handlers that implement
// api.WritabilityHandler.

var _ api.FlowControl = (*conn)(nil)

func writabilityOf(h api.EventHandler) api.WritabilityHandler {
	w, _ := h.(api.WritabilityHandler)
	return w
}

// OutboundLength returns the bytes queued and not yet written.
func (c *conn) OutboundLength() int { return c.outbound.Len() }

// PauseRead stops reading c until ResumeRead.
func (c *conn) PauseRead() error { return c.ask(opPauseRead, ErrConnClosed) }

// ResumeRead starts reading c again after PauseRead.
func (c *conn) ResumeRead() error { return c.ask(opResumeRead, ErrConnClosed) }
