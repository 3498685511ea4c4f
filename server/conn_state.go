package server

import (
	"time"
)

// Where a connection is in its life, what its reading and writing halves are doing, and every
// change between those states: each transition is a function of this file, and each state's
// time bound is stated next to it. Only the connection's loop reads or changes these; the
// atomics closed and writeClosed on conn mirror them for writers on other goroutines.

// lifecycle is where a connection is in its life.
type lifecycle uint8

const (
	// connOpen: served. Bounded by the idle timeout while the peer is silent (WithIdleTimeout,
	// off by default) and by the write timeout while output is pending.
	connOpen lifecycle = iota
	// connConnecting: a dialed socket whose connect has not finished. Bounded by the dial
	// timeout or the dialer's context.
	connConnecting
	// connAwaitingHeader: accepted by a server that reads the PROXY protocol; only the header
	// is read, and OnOpened has not fired (proxy.go). Bounded by the header timeout.
	connAwaitingHeader
	// connClosing: asked to close; nothing more is read. It closes once its pending output is
	// written, and the writes other goroutines made before the close (counted in flight) have
	// reached the loop and been written too, or at once when discardOutput is set. Bounded by
	// the write timeout; while a TLS handshake holds plaintext for it, by the handshake
	// timeout.
	connClosing
	// connLingering: closed for the application (OnClosed has fired) but still holding its
	// descriptor: shut down for writing, it reads and discards what the peer still sends, so
	// that the peer reads our last reply instead of a reset (linger.go). Bounded by the
	// linger timeout and MaxLingerDiscard.
	connLingering
	// connClosed: the descriptor is released; nothing is left but the value the handler may
	// still hold.
	connClosed
)

// readBlocks is the set of reasons a connection is not read now; none means it is read, while
// it is open.
type readBlocks uint8

const (
	// pausedByUser: PauseRead until ResumeRead. The connection stays open; the idle timeout
	// sees bytes waiting in the kernel as the peer talking.
	pausedByUser readBlocks = 1 << iota
	// pausedByWatermark: pending output rose above the high watermark, until it drains below
	// the low one; bounded by the write timeout. Not set for a handler that implements
	// api.WritabilityHandler, which paces reading itself: a relay that stopped reading a
	// peer blocked on writing to it would deadlock.
	pausedByWatermark
	// peerFinished: the peer ended its side (end of file, or a TLS close_notify); nothing
	// more will come. With WithHalfClose the connection may stay open for writing.
	peerFinished
)

// writeSide is where a connection's writing half is.
type writeSide uint8

const (
	// writing: writes are accepted.
	writing writeSide = iota
	// writeShutPending: CloseWrite was called; our end of stream is sent once the pending
	// output, the writes in flight from other goroutines included, is written. Bounded by the
	// write timeout.
	writeShutPending
	// writeShut: our end of stream has been sent.
	writeShut
)

// wantsRead reports whether the loop should read c now: it is open and nothing blocks
// reading. A connection closing in order while its TLS handshake is pending reads too, but only
// to feed the handshake: the plaintext written before the close goes out once the handshake
// completes.
func (c *conn) wantsRead() bool {
	switch c.state {
	case connOpen:
		return c.reads == 0
	case connAwaitingHeader:
		return true
	case connClosing:
		return c.awaitsHandshake()
	}
	return false
}

// awaitsHandshake reports whether c is closing in order with plaintext held for a TLS
// handshake that has not completed: the close waits for the handshake, bounded by the handshake
// timeout, so that the plaintext is sent, encrypted, before our end of stream.
func (c *conn) awaitsHandshake() bool {
	return c.state == connClosing && !c.discardOutput && c.holdsPlaintext()
}

// owesOutput reports whether a closing c still has output to send: pending, or plaintext held
// for its TLS handshake.
func (c *conn) owesOutput() bool {
	return !c.discardOutput && (!c.outbound.IsEmpty() || c.holdsPlaintext())
}

// blockReads adds why to the reasons c is not read; the end of the turn applies the interest.
func (el *eventloop) blockReads(c *conn, why readBlocks) {
	c.reads |= why
	el.markDirty(c)
}

// unblockReads removes why from the reasons c is not read.
func (el *eventloop) unblockReads(c *conn, why readBlocks) {
	c.reads &^= why
	el.markDirty(c)
}

// noteOutputGrew records that c's pending output rose above the high watermark: c becomes
// unwritable, and is no longer read unless the handler paces reading itself.
func (el *eventloop) noteOutputGrew(c *conn) {
	if c.unwritable || c.outbound.Len() <= el.cfg.WriteHighWatermark {
		return
	}
	c.unwritable = true
	if el.writability == nil {
		c.reads |= pausedByWatermark
	}
}

// noteOutputDrained records that c's pending output fell to the low watermark or below.
func (el *eventloop) noteOutputDrained(c *conn) {
	if !c.unwritable || c.outbound.Len() > el.cfg.WriteLowWatermark {
		return
	}
	c.unwritable = false
	c.reads &^= pausedByWatermark
}

// requestClose closes c once the current callback has returned: at once and without writing
// pending output when discard is set, otherwise once pending output is written. err is passed
// to OnClosed; the first reason given wins, but a fault that ends an orderly close (a write
// timeout, a reset while the last output is pending) replaces its nil reason, so that OnClosed
// tells that output was lost.
func (el *eventloop) requestClose(c *conn, err error, discard bool) {
	switch {
	case c.state == connClosed || c.state == connLingering:
		return
	case c.state == connOpen || c.state == connConnecting || c.state == connAwaitingHeader:
		c.state = connClosing
		c.setCloseReason(err)
		c.closed.Store(true)
	case err != nil && c.closeReason() == nil:
		c.setCloseReason(err)
	}
	c.discardOutput = c.discardOutput || discard
	el.markDirty(c) // the end of the turn sends a TLS close_notify behind the pending output
}

// finishClose ends a closing c once its pending output is written or discarded: lingering when
// that can spare the peer a reset, at once otherwise.
func (el *eventloop) finishClose(c *conn) {
	if !el.shouldLinger(c) || el.startLinger(c) != nil {
		el.closeConn(c, c.closeReason())
		return
	}
	c.state = connLingering
	c.closed.Store(true)
	el.retire(c)
	el.discardLingering(c) // the peer's bytes or end of stream may be queued already
}

// closeConn closes c at once, releases what it holds and fires OnClosed with err (unless a
// reason was recorded when the close was requested). Pending output is dropped: callers that
// want it written use requestClose. A fault that cuts an orderly close short while it still
// owes output replaces the close's nil reason, as requestClose does, so that OnClosed tells
// that output was lost.
func (el *eventloop) closeConn(c *conn, err error) {
	switch c.state {
	case connClosed:
		return
	case connLingering:
		el.endLinger(c) // OnClosed has fired already
		return
	case connOpen, connConnecting, connAwaitingHeader:
		c.setCloseReason(err)
	case connClosing:
		if err != nil && c.closeReason() == nil && c.owesOutput() {
			c.setCloseReason(err)
		}
	}
	c.state = connClosed
	c.closed.Store(true)
	el.releaseFD(c)
	el.retire(c)
}

// endLinger gives a lingering c's descriptor back: the peer ended, reset, or ran out of time.
func (el *eventloop) endLinger(c *conn) {
	c.state = connClosed
	el.releaseFD(c)
}

// closeWrite starts shutting c down for writing: a TLS close_notify is queued behind the
// pending output, and the end of the turn sends our end of stream once all of it is written.
func (el *eventloop) closeWrite(c *conn) {
	if c.state != connOpen || c.writes != writing {
		return
	}
	c.writes = writeShutPending
	el.markDirty(c) // the end of the turn sends a TLS close_notify behind the pending output
}

// shutdownWrite sends our end of stream once c's output is written. While a TLS handshake runs
// it waits: the plaintext held for the handshake and the close_notify go first, and the
// handshake's end flushes c again.
func (el *eventloop) shutdownWrite(c *conn) {
	if c.tls != nil && !c.tls.established {
		return
	}
	if err := shutdownWriteFD(c.fd); err != nil {
		el.closeConn(c, syscallErr("shutdown", err))
		return
	}
	c.writes = writeShut
}

// peerEnded acts on the peer's end of stream, once however often it is seen: with the
// half-close option and a handler that implements api.ReadClosedHandler, OnReadClosed decides
// what becomes of c; otherwise c closes once what we owe the peer is written.
func (el *eventloop) peerEnded(c *conn) {
	// Stop reading: the socket would report end of file at every turn.
	el.blockReads(c, peerFinished)
	if c.peerEndHandled {
		return
	}
	c.peerEndHandled = true
	if el.readClosed == nil || c.state != connOpen {
		el.requestClose(c, nil, false)
		return
	}
	el.fireReadClosed(c)
}

// noteWriteProgress keeps the write timeout's clock: it runs from the moment pending output
// last made progress, and stops while nothing is pending.
func (c *conn) noteWriteProgress(progressed bool) {
	switch {
	case c.outbound.IsEmpty():
		c.stallSince = 0
	case progressed || c.stallSince == 0:
		c.stallSince = time.Now().UnixNano()
	}
}

// releaseFD gives c's descriptor back: closed, out of the loop's index.
//
// The close takes the descriptor out of the poller too, without an epoll_ctl of its own (one
// system call less per connection): epoll drops a registration once the last descriptor of its
// open file is closed, kqueue at the close. The engine holds no duplicate of a connection's
// descriptor; one living elsewhere for a moment (a fork about to exec) keeps the registration,
// whose events then carry c's token, which no connection has any longer: handleEvent drops
// them, also when the number has been reused by the next accept.
func (el *eventloop) releaseFD(c *conn) {
	c.interest = 0
	if err := closeConnFD(c.fd); err != nil {
		el.cfg.logger.Debugf("gnet: loop %d: closing fd %d: %v", el.idx, c.fd, err)
	}
	el.conns[c.fd] = nil
	el.connCount.Add(-1)
}

// retire ends c for the application once it is closed or lingering: WriteAndFlush callers are
// released with the reason, buffers dropped, a dial answered and OnClosed fired with the
// recorded reason. The descriptor is not its business.
func (el *eventloop) retire(c *conn) {
	el.stats.noteRetired(c)
	el.abandonWaiters(c)
	c.outbound.Reset()
	if c.tls != nil {
		// Wakes a handshake still waiting for bytes; it fails and its result is ignored.
		_ = c.tls.tr.Close()
		c.tls.pending.Reset()
	}
	if !c.decoding {
		c.view = nil
		c.inbound.Release()
	}
	if d := c.dialOp(); d != nil {
		d.answer(nil, c.closeReason())
	}
	if c.opened {
		el.fireClosed(c, c.closeReason())
	}
}
