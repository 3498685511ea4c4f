package server

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
)

// write queues buf for c, encoded unless noCodec. On the loop it goes straight into the
// outbound buffer, flushed when the current callback's event is done; from another goroutine
// it is copied and handed to the loop.
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
	if err := el.trigger(runWriteOp, op); err != nil {
		op.release()
		return err
	}
	return nil
}

// writeOnLoop encodes buf and appends it to c's outbound buffer.
func (el *eventloop) writeOnLoop(c *conn, buf []byte, noCodec bool) error {
	// hot path: no allocation with the built-in codecs
	if c.state != connOpen {
		return ErrConnClosed
	}
	if c.writeSide != writeOpen {
		return ErrWriteClosed
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
	return el.sendPlain(c, data)
}

// appendOutbound queues data on c, enforcing the outbound limit and pausing reads above the
// high watermark.
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
	if !c.paused && c.outbound.Len() > el.cfg.WriteHighWatermark {
		c.paused = true
	}

	el.markDirty(c)
	return nil
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
		progressed = progressed || n > 0
		if n < offered {
			break // the socket buffer is full
		}
	}
	if c.outbound.IsEmpty() {
		c.stallSince = 0
		c.outbound.Reset()
	} else if progressed || c.stallSince == 0 {
		c.stallSince = time.Now().UnixNano()
	}
	if c.paused && c.outbound.Len() <= el.cfg.WriteLowWatermark {
		c.paused = false
	}
	el.releaseWaiters(c)
}

// updateInterest registers c for the readiness it needs now: reads unless paused or closing,
// writes while output is pending.
func (el *eventloop) updateInterest(c *conn) {
	var want netpoll.Event
	if c.wantsRead() {
		want |= netpoll.EventRead
	}
	if !c.outbound.IsEmpty() {
		want |= netpoll.EventWrite
	}
	if want == 0 && c.state != connOpen {
		// A closing connection with nothing pending is closed right after; keep its
		// registration as it is.
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

// writeOp is a write handed from another goroutine to the loop. Ops and their buffers are
// pooled so that AsyncWrite does not allocate in the steady state.
type writeOp struct {
	c    *conn
	data []byte // encoded, from the byte pool
	// flush is set for WriteAndFlush: its caller waits until the loop releases it.
	flush *flushWait
	raw   bool // ciphertext from a TLS handshake: bypasses encryption
}

var writeOpPool = sync.Pool{New: func() any { return new(writeOp) }}

// newWriteOp encodes buf (unless noCodec) into a pooled copy. Encoding happens on the caller's
// goroutine, which is why codecs shared by a server must be safe for concurrent use.
func (el *eventloop) newWriteOp(c *conn, buf []byte, noCodec bool) (*writeOp, error) {
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
	op := writeOpPool.Get().(*writeOp)
	op.c = c
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

// newRawWriteOp copies ciphertext that a TLS handshake goroutine writes, for the loop to queue
// as it is.
func newRawWriteOp(c *conn, p []byte) *writeOp {
	op := writeOpPool.Get().(*writeOp)
	op.c = c
	op.raw = true
	op.data = copyToPooled(p)
	return op
}

// copyToPooled returns a copy of p in a buffer from the byte pool.
func copyToPooled(p []byte) []byte {
	buf := buffer.Get(len(p))
	return buf[:copy(buf, p)]
}

func (op *writeOp) release() {
	buffer.Put(op.data)
	*op = writeOp{}
	writeOpPool.Put(op)
}

// runWriteOp is the loop's side of a write from another goroutine: the data joins the
// connection's outbound buffer, which the loop writes at the end of the turn with everything
// else the turn queued. A WriteAndFlush's connection is flushed at once instead (settleFlush),
// so that its caller can be released as soon as the kernel has the bytes.
func runWriteOp(arg any) error {
	op := arg.(*writeOp)
	c, el := op.c, op.c.el
	err := ErrConnClosed
	switch {
	case op.raw && c.state != connClosed && !c.abort:
		// Handshake records still go out while a close is pending, so the peer learns why.
		err = el.appendOutbound(c, op.data)
	case c.state == connOpen && c.writeSide == writeOpen:
		err = el.sendPlain(c, op.data)
	case c.state == connOpen:
		err = ErrWriteClosed
	}
	if op.flush != nil {
		el.settleFlush(c, op.flush, err)
	}
	op.release()
	return nil
}

// sendDatagram sends data as one datagram on a connected UDP socket, at once: datagrams are
// not buffered, and one the socket cannot take now is dropped with the error, as UDP would
// drop it anyway.
func (el *eventloop) sendDatagram(c *conn, data []byte) error {
	for {
		_, err := unix.Write(c.fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return syscallErr("write", err)
		}
		return nil
	}
}
