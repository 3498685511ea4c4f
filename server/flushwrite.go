package server

import (
	"errors"
	"fmt"
	"time"
)

// WriteAndFlush (api.Flusher) and FlushWrite: writes whose caller waits until the bytes have
// been handed to the kernel. The loop counts every byte it queues and writes (queuedTotal,
// writtenTotal); a caller on another goroutine waits for writtenTotal to reach what was queued
// once its write was, or, when a TLS handshake holds the plaintext, what was queued once the
// handshake had encrypted it.

// flushWait is one caller waiting on another goroutine. The loop sets err and closes done,
// once; the caller reads err only after done is closed.
type flushWait struct {
	done chan struct{}
	err  error
}

func (w *flushWait) finish(err error) {
	w.err = err
	close(w.done)
}

// flushWaiter is a waiting caller in its connection's list: released once writtenTotal
// reaches target, but not while afterHandshake is set, which means that the plaintext it
// waits for is held until the TLS handshake completes and has no ciphertext yet.
type flushWaiter struct {
	target         uint64
	afterHandshake bool
	wait           *flushWait
}

// FlushWrite writes buf and waits until it has been handed to the kernel; see api.Conn.
func (c *conn) FlushWrite(buf []byte, noCodec ...bool) {
	// FlushWrite has no result; WriteAndFlush is for callers that want it.
	_ = c.WriteAndFlush(buf, len(noCodec) > 0 && noCodec[0])
}

// WriteAndFlush writes buf and waits until it has been handed to the kernel, and says how the
// wait ended; see api.Flusher.
func (c *conn) WriteAndFlush(buf []byte, noCodec bool) error {
	return c.el.writeAndFlush(c, buf, noCodec)
}

// writeAndFlush implements WriteAndFlush for stream connections and dialed datagram ones.
func (el *eventloop) writeAndFlush(c *conn, buf []byte, noCodec bool) error {
	if err := writeRefused(c); err != nil {
		return err
	}
	if el.onLoop() {
		return el.writeAndFlushOnLoop(c, buf, noCodec)
	}
	op, err := el.newWriteOp(c, buf, noCodec)
	if err != nil {
		return err
	}
	w := &flushWait{done: make(chan struct{})}
	op.flush = w
	if err := el.post(op); err != nil {
		return err
	}
	timer := time.NewTimer(el.cfg.writeTimeout)
	defer timer.Stop()
	stopped := false
	select {
	case <-w.done:
		return w.err
	case <-timer.C:
	case <-el.srv.stopped:
		stopped = true
	}
	// An outcome the loop reached meanwhile says more than the timer or the stop.
	select {
	case <-w.done:
		return w.err
	default:
	}
	if stopped {
		return ErrServerShutdown
	}
	return fmt.Errorf("%w: not all handed to the kernel within %v", ErrWriteTimeout, el.cfg.writeTimeout)
}

// writeAndFlushOnLoop is WriteAndFlush on the connection's own loop, which must not wait: it
// queues buf, writes what the socket takes now and reports whether anything is left.
func (el *eventloop) writeAndFlushOnLoop(c *conn, buf []byte, noCodec bool) error {
	if err := el.writeOnLoop(c, buf, noCodec); err != nil {
		return err
	}
	el.flush(c)
	switch {
	case c.state != connOpen: // the write to the socket failed
		return closedError(c)
	case !c.outbound.IsEmpty() || c.holdsPlaintext():
		return ErrWritePending
	}
	return nil
}

// settleFlush is the loop's side of a WriteAndFlush from another goroutine, once the write has
// been queued with the outcome queueErr: the caller learns of a failure at once; otherwise
// what the socket takes is written now and the caller waits, in c's list, for the rest.
func (el *eventloop) settleFlush(c *conn, w *flushWait, queueErr error) {
	if queueErr != nil {
		if errors.Is(queueErr, ErrConnClosed) {
			queueErr = closedError(c)
		}
		w.finish(queueErr)
		return
	}
	el.flush(c)
	held := c.holdsPlaintext()
	if !held && c.writtenTotal >= c.queuedTotal {
		w.finish(nil)
		return
	}
	// A closing connection releases its list when it closes (retire).
	x := c.ext()
	x.waiters = append(x.waiters, flushWaiter{target: c.queuedTotal, afterHandshake: held, wait: w})
}

// releaseWaiters wakes the callers whose bytes have all been written.
func (el *eventloop) releaseWaiters(c *conn) {
	x := c.extra
	if x == nil || len(x.waiters) == 0 {
		return
	}
	kept := x.waiters[:0]
	for _, w := range x.waiters {
		if !w.afterHandshake && c.writtenTotal >= w.target {
			w.wait.finish(nil)
		} else {
			kept = append(kept, w)
		}
	}
	clear(x.waiters[len(kept):])
	x.waiters = kept
}

// plaintextEncrypted moves the callers that waited for c's TLS handshake on to the ciphertext
// it produced: they wait for everything queued now. Call it once the plaintext held for the
// handshake has been encrypted.
func (el *eventloop) plaintextEncrypted(c *conn) {
	x := c.extra
	if x == nil {
		return
	}
	for i := range x.waiters {
		if x.waiters[i].afterHandshake {
			x.waiters[i].afterHandshake = false
			x.waiters[i].target = c.queuedTotal
		}
	}
}

// abandonWaiters releases every caller still waiting on c, which is closed: their bytes will
// never be written.
func (el *eventloop) abandonWaiters(c *conn) {
	x := c.extra
	if x == nil || len(x.waiters) == 0 {
		return
	}
	err := closedError(c)
	for _, w := range x.waiters {
		w.wait.finish(err)
	}
	x.waiters = nil
}

// closedError is what a write that c's closing cut short returns: ErrConnClosed, wrapping the
// reason c closed when there is one.
func closedError(c *conn) error {
	reason := c.closeReason()
	if reason == nil || errors.Is(reason, ErrConnClosed) {
		return ErrConnClosed
	}
	return fmt.Errorf("%w: %w", ErrConnClosed, reason)
}
