package server

import "github.com/gnetio/gnet/api"

// Flow control between connections: PauseRead/ResumeRead, OutboundLength, and the
// OnWritabilityChanged notification for handlers that implement api.WritabilityHandler.

var _ api.FlowControl = (*conn)(nil)

func writabilityOf(h api.EventHandler) api.WritabilityHandler {
	w, _ := h.(api.WritabilityHandler)
	return w
}

// OutboundLength returns the bytes queued and not yet written.
func (c *conn) OutboundLength() int { return c.outbound.Len() }

// PauseRead stops reading c until ResumeRead.
func (c *conn) PauseRead() error { return c.setHeld(true) }

// ResumeRead starts reading c again after PauseRead.
func (c *conn) ResumeRead() error { return c.setHeld(false) }

func (c *conn) setHeld(held bool) error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.el.onLoop() {
		c.held = held
		c.el.markDirty(c) // flushDirty applies the new interest
		return nil
	}
	task := runPauseRead
	if !held {
		task = runResumeRead
	}
	return c.el.trigger(task, c)
}

func runPauseRead(arg any) error  { return applyHeld(arg.(*conn), true) }
func runResumeRead(arg any) error { return applyHeld(arg.(*conn), false) }

func applyHeld(c *conn, held bool) error {
	if c.state == connClosed {
		return nil
	}
	c.held = held
	c.el.markDirty(c)
	return nil
}

// reportWritability tells the handler that c's pending output crossed a watermark.
func (el *eventloop) reportWritability(c *conn) {
	defer el.recoverHandler(c)
	el.writability.OnWritabilityChanged(c, !c.paused)
}
