package server

import (
	"errors"
	"io"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
)

// The read path: readiness on a connection (serveConn), one read into the loop's read buffer
// (read), the codec cutting frames (decodeAndReact), and React for each (react, callbacks.go).
// A read whose bytes are all consumed by whole frames never leaves the loop's buffer (the view);
// only the rest of an incomplete frame is copied into the connection's ring. Under TLS the
// bytes go through the TLS layer first (tls.go), which hands the plaintext back here.

// serveConn handles readiness on one connection. Pending output is written before reading, so
// that a connection whose peer has started reading again drains what it owes before it
// produces more; EPOLLERR and EPOLLHUP are always reported by the kernel, even without read
// interest, so they go to the read path, where the read returns the error or end of file.
func (el *eventloop) serveConn(c *conn, ev netpoll.Event) {
	switch c.state {
	case connLingering:
		el.discardLingering(c)
		return
	case connConnecting:
		el.finishConnect(c)
		return
	case connAwaitingHeader:
		el.readProxyHeader(c)
		return
	}
	if ev&netpoll.EventWrite != 0 && !c.outbound.IsEmpty() {
		el.flush(c)
		// The end of the turn drops write interest once the output is gone (a level-triggered
		// loop would otherwise report writability forever), resumes paused reads and
		// finishes a pending close.
		el.markDirty(c)
	}
	switch c.state {
	case connClosing:
		switch {
		case ev&(netpoll.EventHangup|netpoll.EventError) != 0:
			// The peer is gone: what is pending can no longer be delivered.
			c.discardOutput = true
			el.markDirty(c)
		case ev&netpoll.EventRead != 0 && c.awaitsHandshake():
			el.read(c) // handshake records only: nothing reaches React once closing
		}
		return
	case connOpen:
	default:
		return
	}
	// A readiness already in this batch when reading was paused is left for later; a hang-up
	// or an error is read at once even then, since the kernel keeps reporting those whatever
	// the interest and they would otherwise repeat at every turn.
	if ev&(netpoll.EventHangup|netpoll.EventError) != 0 || (ev&netpoll.EventRead != 0 && c.wantsRead()) {
		el.read(c)
	}
}

// read takes what the socket has, hands every whole frame to React and keeps the rest.
func (el *eventloop) read(c *conn) {
	// hot path: no allocation
	n, err := readFD(c.fd, el.readBuf)
	el.stats.noteRead(n)
	switch {
	case errors.Is(err, unix.EAGAIN):
		return
	case err != nil:
		el.closeConn(c, syscallErr("read", err))
		return
	case c.tls != nil:
		el.readTLS(c, n)
		return
	case c.datagram:
		// One datagram, one frame, whatever the codec: a datagram has its own boundaries.
		c.view = el.readBuf[:n]
		el.react(c, c.view)
		c.view = nil
		return
	case n == 0:
		el.peerEnded(c)
		return
	}
	c.activeSweep = el.sweeps
	data := el.readBuf[:n]
	if c.inbound.IsEmpty() {
		c.view = data
	} else if _, err := c.inbound.Write(data); err != nil {
		el.closeConn(c, err)
		return
	}
	el.decodeBuffered(c)
}

// decodeBuffered hands every whole frame buffered on c, in the view and the ring, to React, and
// keeps the rest in the ring.
func (el *eventloop) decodeBuffered(c *conn) {
	// hot path: no allocation
	el.decodeAndReact(c)
	if c.retired() {
		return
	}
	if len(c.view) > 0 {
		// The rest of an incomplete frame must outlive the shared read buffer.
		if _, err := c.inbound.Write(c.view); err != nil {
			c.view = nil
			el.requestClose(c, err, true)
			return
		}
	}
	c.view = nil
	if c.inbound.IsEmpty() {
		c.inbound.Release()
	}
}

// decodeAndReact calls React for every whole frame buffered on c.
func (el *eventloop) decodeAndReact(c *conn) {
	// hot path: no allocation
	c.decoding = true
	for c.state == connOpen {
		var frame []byte
		if el.cfg.passthrough {
			frame = el.passthroughFrame(c)
		} else {
			before := c.BufferLength()
			var err error
			frame, err = el.cfg.codec.Decode(c)
			if err != nil {
				if !isIncomplete(err) {
					c.codecFault = true
					el.requestClose(c, err, true)
				}
				break
			}
			if frame != nil && c.BufferLength() == before {
				el.requestClose(c, ErrCodecNoProgress, true)
				break
			}
		}
		if frame == nil {
			break
		}
		el.react(c, frame)
	}
	c.decoding = false
}

// passthroughFrame is the codec's promise (api.PassthroughCodec) kept by the engine itself: the
// next frame is the first passthroughLimit unconsumed bytes, taken where they sit; nil when
// nothing is buffered.
func (el *eventloop) passthroughFrame(c *conn) []byte {
	// hot path: no allocation
	frame := c.Read()
	if len(frame) == 0 {
		return nil
	}
	if n := el.cfg.passthroughLimit; len(frame) > n {
		c.ShiftN(n)
		return frame[:n:n]
	}
	c.ResetBuffer()
	return frame[:len(frame):len(frame)]
}

// isIncomplete reports whether a codec error means "no whole frame yet".
func isIncomplete(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF)
}
