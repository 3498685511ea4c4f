package server

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
)

// Lingering close, as nginx's lingering_close and net/http's closeWriteAndWait do it. Closing a
// socket while the peer's bytes are still queued, or still arriving, makes the kernel answer
// with a reset instead of an end of stream, and a peer that receives a reset may throw away
// the reply it has not read yet: a client that pipelined requests behind one we refused gets
// ECONNRESET instead of our answer. So an orderly close that this side starts, once its output
// is written, shuts the socket down for writing (our end of stream follows the last reply),
// then reads and discards what the peer still sends, until the peer ends its side or resets
// (the descriptor is closed at once) or the linger timeout passes (it is closed then). What is
// worth protecting is time: a reset that reaches the peer after it has read our end of stream
// costs it nothing. Reading is only what keeps a peer that writes before it reads moving, and
// lets us see its end early, so it stops after MaxLingerDiscard bytes: a peer still sending
// then is streaming, and its writes block until the timeout instead of costing the loop.
//
// For the application the connection is closed when lingering starts: OnClosed fires then and
// Conn methods return ErrConnClosed. The loop keeps the descriptor, without a callback, until
// the linger ends or the server stops, which ends it at once.

// shouldLinger reports whether closing c now could reset a peer that is still sending. A close
// forced by a fault (a limit, a timeout, a codec error, a reset: discardOutput) does not
// linger: the peer either is gone or is the fault, and holding its descriptor only helps it.
// Nor does a close after the peer ended its side, when nothing more can arrive.
func (el *eventloop) shouldLinger(c *conn) bool {
	return el.cfg.LingerTimeout > 0 && !c.discardOutput && c.reads&peerFinished == 0 && !c.datagram
}

// startLinger shuts c down for writing and registers it for reading only. An error means the
// socket is past lingering (the peer reset it) or the poller refused it.
func (el *eventloop) startLinger(c *conn) error {
	if c.writes != writeShut {
		if err := shutdownWriteFD(c.fd); err != nil {
			return syscallErr("shutdown", err)
		}
		c.writes = writeShut
	}
	if err := el.watch(c, netpoll.EventRead); err != nil {
		return err
	}
	x := c.ext()
	x.lingerUntil = time.Now().Add(el.cfg.LingerTimeout).UnixNano()
	x.lingerLeft = MaxLingerDiscard
	return nil
}

// discardLingering reads and drops what a lingering connection's peer sends. It gives the
// descriptor back once the peer has ended its side or reset the connection, and stops reading
// once the discard budget is spent, leaving the sweep to close the descriptor at the deadline.
// Every read takes at least one byte of the budget, so the loop is bounded.
func (el *eventloop) discardLingering(c *conn) {
	x := c.extra
	for {
		n, err := readFD(c.fd, el.readBuf)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		if err != nil || n == 0 {
			el.endLinger(c) // the peer's end of stream or its reset: nothing left to wait for
			return
		}
		x.lingerLeft -= n
		if x.lingerLeft <= 0 {
			el.stopLingerReads(c)
			return
		}
	}
}

// stopLingerReads takes a lingering connection out of the poller: level-triggered, a socket
// left unread would be reported at every iteration. A failure gives the descriptor back now.
func (el *eventloop) stopLingerReads(c *conn) {
	if err := el.watch(c, 0); err != nil {
		el.cfg.logger.Debugf("gnet: loop %d: ending the linger of fd %d early: %v", el.idx, c.fd, err)
		el.endLinger(c)
	}
}
