package server

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/api/sysfault"
	"github.com/gnetio/gnet/buffer"
)

// The write path. Every write, from any caller, enters through write (or writeAndFlush,
// flushwrite.go): on the connection's loop it is encoded and queued at once; from another
// goroutine it is encoded on the writer's goroutine, copied into a pooled buffer and posted to
// the loop (inbox.go), which queues it. Queuing is one funnel, queueOutput: under TLS the bytes
// are encrypted first (tls.go), and either way they land in the connection's outbound buffer.
// The loop writes a connection's output with one writev (flushDirty) once it has served that
// connection's readiness, and at the end of every turn for output queued otherwise (tasks,
// timers), and registers for writability only while output remains.

// AsyncWrite encodes buf and queues it; see api.Conn.
func (c *conn) AsyncWrite(buf []byte) error { return c.el.write(c, buf, false) }

// WriteNoCodec queues buf as it is; see api.Conn.
func (c *conn) WriteNoCodec(buf []byte) error { return c.el.write(c, buf, true) }

// SendTo sends buf as one datagram on a dialed UDP connection; on a stream it is an error.
func (c *conn) SendTo(buf []byte) error {
	if !c.datagram {
		return ErrNotDatagram
	}
	return c.el.write(c, buf, true)
}

// write queues buf for c, encoded unless noCodec, from any goroutine.
func (el *eventloop) write(c *conn, buf []byte, noCodec bool) error {
	if err := writeRefused(c); err != nil {
		return err
	}
	if el.onLoop() {
		return el.writeOnLoop(c, buf, noCodec)
	}
	op, err := el.newWriteOp(c, buf, noCodec)
	if err != nil {
		return err
	}
	return el.postWrite(c, op)
}

// postWrite hands op, a write from another goroutine, to c's loop. The write is counted in
// flight (c.inflight) from its admission here until the loop carries it out, and a close or a
// CloseWrite requested meanwhile waits for it (flushDirty), so that a write that was accepted
// goes out before our end of stream. The count goes up before the last look at closed and
// writeClosed, and the loop sets those before it reads the count: either the writer sees the
// close and is refused, or the loop sees the write and waits for it (sequentially consistent
// atomics, the store-then-load pattern on both sides). The op is encoded before it is counted,
// so that a codec that panics on the writer's goroutine leaves no count behind.
//
// A writer refused at that last look has raised the count for a moment, and the loop may have
// seen it and decided to wait: the refusal is withdrawn on the loop (opWriteWithdrawn), which
// then looks at the connection again, rather than here, where the loop would never hear of it.
func (el *eventloop) postWrite(c *conn, op *connOp) error {
	c.inflight.Add(1)
	if err := writeRefused(c); err != nil {
		buffer.Put(op.data)
		*op = connOp{c: c, kind: opWriteWithdrawn}
		if el.post(op) != nil {
			c.inflight.Add(-1) // the loop has stopped: nothing waits any more
		}
		return err
	}
	if err := el.post(op); err != nil {
		c.inflight.Add(-1)
		return err
	}
	return nil
}

// writeRefused is the error a write to c fails with before anything is queued, from any
// goroutine: ErrConnClosed once c is closing, ErrWriteClosed after CloseWrite.
func writeRefused(c *conn) error {
	switch {
	case c.closed.Load():
		return ErrConnClosed
	case c.writeClosed.Load():
		return ErrWriteClosed
	}
	return nil
}

// writeOnLoop encodes buf and queues it on c, on c's loop.
func (el *eventloop) writeOnLoop(c *conn, buf []byte, noCodec bool) error {
	// hot path: no allocation with the built-in codecs
	if err := el.writable(c); err != nil {
		return err
	}
	data := buf
	if !noCodec && !el.cfg.passthrough {
		var err error
		if el.cfg.appendEncoder != nil {
			el.encodeBuf, err = el.cfg.appendEncoder.AppendEncode(el.encodeBuf[:0], c, buf)
			data = el.encodeBuf
		} else {
			data, err = el.cfg.codec.Encode(c, buf)
		}
		if err != nil {
			return err
		}
	}
	return el.queueOutput(c, data)
}

// writeFromInbox queues data, encoded by a writer on another goroutine, once it has reached
// c's loop. The write was admitted before c began to close or CloseWrite was called
// (postWrite), so it is queued while an orderly close or a CloseWrite waits for it; only a
// close that discards output, or one already finished, refuses it.
func (el *eventloop) writeFromInbox(c *conn, data []byte) error {
	c.inflight.Add(-1)
	el.markDirty(c) // a close or CloseWrite waiting for this write goes on at the end of the turn
	switch {
	case c.retired() || c.discardOutput:
		return ErrConnClosed
	case c.writes == writeShut:
		return ErrWriteClosed
	}
	return el.queueOutput(c, data)
}

// writable says, on c's loop, whether c takes writes: ErrConnClosed once it is closing,
// ErrWriteClosed after CloseWrite.
func (el *eventloop) writable(c *conn) error {
	switch {
	case c.state != connOpen:
		return ErrConnClosed
	case c.writes != writing:
		return ErrWriteClosed
	}
	return nil
}

// newWriteOp encodes buf (unless noCodec) into a pooled copy, for the loop to queue. Encoding
// happens on the writer's goroutine, which is why codecs shared by a server must be safe for
// concurrent use.
func (el *eventloop) newWriteOp(c *conn, buf []byte, noCodec bool) (*connOp, error) {
	data := buf
	var scratch []byte
	if !noCodec && !el.cfg.passthrough {
		var err error
		if el.cfg.appendEncoder != nil {
			scratch = buffer.Get(len(buf) + 16)[:0]
			data, err = el.cfg.appendEncoder.AppendEncode(scratch, c, buf)
		} else {
			data, err = el.cfg.codec.Encode(c, buf)
		}
		if err != nil {
			buffer.Put(scratch)
			return nil, err
		}
	}
	op := newConnOp(c, opWrite)
	switch {
	case len(data) == 0:
		buffer.Put(scratch)
	case cap(scratch) > 0 && &data[0] == &scratch[:1][0]:
		op.data = data // encoded in place into the pooled buffer
	default:
		buffer.Put(scratch)
		op.data = copyToPooled(data)
	}
	return op, nil
}

// copyToPooled returns a copy of p in a buffer from the byte pool.
func copyToPooled(p []byte) []byte {
	buf := buffer.Get(len(p))
	return buf[:copy(buf, p)]
}

// queueOutput is the one funnel of every write on the loop: plaintext under TLS is encrypted
// (or held until the handshake completes) and its records queued; otherwise the bytes are
// queued as they are.
func (el *eventloop) queueOutput(c *conn, data []byte) error {
	el.stats.framesOut.Add(1)
	if c.tls != nil {
		return el.encrypt(c, data)
	}
	return el.appendOutbound(c, data)
}

// appendOutbound queues data on c, enforcing the outbound limit and pausing reads above the
// high watermark. A datagram goes out at once instead.
func (el *eventloop) appendOutbound(c *conn, data []byte) error {
	if c.datagram {
		return el.sendDatagram(c, data)
	}
	if len(data) == 0 {
		return nil
	}
	if c.outbound.Len()+len(data) > el.cfg.MaxOutbound {
		err := fmt.Errorf("%w: %d bytes pending, limit %d", ErrOutboundLimit, c.outbound.Len()+len(data), el.cfg.MaxOutbound)
		el.requestClose(c, err, true)
		return err
	}
	if _, err := c.outbound.Write(data); err != nil {
		return err
	}
	c.queuedTotal += uint64(len(data))
	el.stats.noteQueued(len(data))
	el.noteOutputGrew(c)
	el.markDirty(c)
	return nil
}

// sendDatagram sends data as one datagram on a connected UDP socket, at once: datagrams are not
// buffered, and one the socket cannot take now is dropped with the error, as UDP would drop it
// anyway.
func (el *eventloop) sendDatagram(c *conn, data []byte) error {
	if sysfault.Enabled {
		// A datagram is sent whole or not at all: a short transfer does not apply.
		if err := injectedErr(sysfault.OpWrite, c.fd); err != nil && !errors.Is(err, unix.EINTR) { // retried below
			return syscallErr("write", err)
		}
	}
	for {
		_, err := unix.Write(c.fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return syscallErr("write", err)
		}
		el.stats.noteSent(len(data))
		return nil
	}
}

// markDirty adds c to the connections the loop handles at the end of the turn.
func (el *eventloop) markDirty(c *conn) {
	if !c.dirty {
		c.dirty = true
		el.dirty = append(el.dirty, c)
	}
}

// flushDirty writes pending output and finishes requested closes, once per connection: the end
// of every turn of the loop.
func (el *eventloop) flushDirty() {
	// hot path: no allocation
	for i := 0; i < len(el.dirty); i++ { // flush may mark more connections dirty
		c := el.dirty[i]
		el.dirty[i] = nil
		c.dirty = false
		if c.retired() {
			continue
		}
		waiting := c.inflight.Load() != 0 // writes from other goroutines on their way here
		if !waiting && !c.discardOutput && (c.state == connClosing || c.writes == writeShutPending) {
			// A TLS close_notify follows everything else, the writes in flight included.
			el.sendCloseNotify(c)
		}
		if !c.discardOutput && !c.outbound.IsEmpty() {
			el.flush(c)
		} else if c.extra != nil && len(c.extra.waiters) > 0 {
			el.releaseWaiters(c) // writes with nothing left to send: a datagram's, an empty one
		}
		if c.state == connClosing && (c.discardOutput || (c.outbound.IsEmpty() && !c.awaitsHandshake() && !waiting)) {
			el.finishClose(c)
			continue
		}
		if c.writes == writeShutPending && c.outbound.IsEmpty() && !waiting {
			el.shutdownWrite(c) // closes c if the shutdown fails
		}
		if c.retired() {
			continue
		}
		el.updateInterest(c)
		if c.unwritable != c.reportedUnwritable && el.writability != nil {
			c.reportedUnwritable = c.unwritable
			el.reportWritability(c)
		}
	}
	el.dirty = el.dirty[:0]
}

// flush writes as much of c's pending output as the socket takes, without blocking.
func (el *eventloop) flush(c *conn) {
	// hot path: no allocation
	el.handler.PreWrite()
	progressed := false
	for !c.outbound.IsEmpty() {
		iovs := c.outbound.Peek(el.iovs[:0], maxWritevBytes)
		offered := 0
		for _, b := range iovs {
			offered += len(b)
		}
		n, err := writev(c.fd, iovs, &el.iovecs)
		if errors.Is(err, unix.EAGAIN) {
			break
		}
		if err != nil {
			el.requestClose(c, syscallErr("writev", err), true)
			return
		}
		c.outbound.Discard(n)
		c.writtenTotal += uint64(n)
		el.stats.noteWritten(n)
		progressed = progressed || n > 0
		if n < offered {
			break // the socket buffer is full
		}
	}
	if c.outbound.IsEmpty() {
		c.outbound.Reset()
	}
	c.noteWriteProgress(progressed)
	el.noteOutputDrained(c)
	el.releaseWaiters(c)
}

// updateInterest registers c for the readiness it needs now: reads unless blocked or closing,
// writes while output is pending.
func (el *eventloop) updateInterest(c *conn) {
	var want netpoll.Event
	if c.wantsRead() {
		want |= netpoll.EventRead
	}
	if !c.outbound.IsEmpty() {
		want |= netpoll.EventWrite
	}
	if want == 0 && c.state != connOpen && c.inflight.Load() == 0 {
		// A closing connection with nothing pending is closed right after; keep its
		// registration as it is. One that waits for writes in flight leaves the poller
		// meanwhile: still registered for reading, a peer's end of stream would be reported at
		// every turn and taken for the peer gone, dropping those writes.
		return
	}
	// Neither reading nor writing (reads paused, nothing to send) takes it out of the poller,
	// as write interest on an idle socket would be reported at every turn.
	if err := el.watch(c, want); err != nil {
		el.closeConn(c, err)
	}
}

// watch registers c's descriptor for want (EventRead, EventWrite or both) or, when want is 0,
// takes it out of the poller. Every change of a connection's registration goes through here.
func (el *eventloop) watch(c *conn, want netpoll.Event) error {
	if want == c.interest {
		return nil
	}
	var err error
	switch {
	case want == 0:
		err = el.poller.Deregister(c.fd)
	case c.interest == 0:
		err = el.poller.Register(c.fd, c.token, want)
	default:
		err = el.poller.Reregister(c.fd, c.token, want)
	}
	if err != nil {
		return err
	}
	c.interest = want
	return nil
}
