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
func (c *conn) PauseRead() error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.el.onLoop() {
		c.el.blockReads(c, pausedByUser)
		return nil
	}
	return c.el.request(c, opPauseRead)
}

// ResumeRead starts reading c again after PauseRead.
func (c *conn) ResumeRead() error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.el.onLoop() {
		c.el.unblockReads(c, pausedByUser)
		return nil
	}
	return c.el.request(c, opResumeRead)
}
