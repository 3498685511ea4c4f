package timerwheel

// Handle names one scheduled timer. It is a small value (8 bytes) to keep wherever the timer
// may need cancelling, for instance in a connection. The zero Handle names no timer. A Handle
// stays safe to use after its timer fired, was cancelled or was cleared, and after the wheel
// reused the timer's storage for another timer: it then names nothing, and Cancel and Pending
// return false.
type Handle struct {
	index uint32
	gen   uint32
}

// Cancel stops the timer h names so that it never fires again, and reports whether it did so:
// false when h names no pending timer (the zero Handle, a one-shot timer that has fired or is
// firing, a timer already cancelled or cleared). A repeating timer may cancel itself from its
// own callback. Call it from the loop's goroutine, callbacks included.
//
// hot path: no allocation
func (w *Wheel) Cancel(h Handle) bool {
	n := w.lookup(h)
	if n == nil {
		return false
	}
	w.unlink(h.index, n)
	w.release(h.index, n)
	return true
}

// Pending reports whether h names a timer that will still fire: scheduled, not yet fired (for
// a one-shot timer), not cancelled and not cleared. Inside a one-shot timer's own callback it
// reports false.
func (w *Wheel) Pending(h Handle) bool { return w.lookup(h) != nil }

// lookup returns the node h names while its timer is pending, or nil.
//
// hot path: no allocation
func (w *Wheel) lookup(h Handle) *node {
	if h.index == nilIndex || h.index>>pageShift >= uint32(len(w.pages)) {
		return nil
	}
	n := w.node(h.index)
	if n.gen != h.gen || n.where == whereFree {
		return nil
	}
	return n
}
