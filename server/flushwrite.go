package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/gnetio/gnet/api"
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

// flushWaiter is a write waiting in its connection's list: released once writtenTotal reaches
// target, but not while afterHandshake is set, which means that the plaintext it waits for is
// held until the TLS handshake completes and has no ciphertext yet. Its caller is either
// blocked on another goroutine (wait, WriteAndFlush) or an AsyncCallback to run on the loop
// (callback, AsyncWriteCallback).
type flushWaiter struct {
	target         uint64
	afterHandshake bool
	wait           *flushWait
	callback       api.AsyncCallback
}

// finish tells w's caller how its write ended.
func (el *eventloop) finishWaiter(c *conn, w flushWaiter, err error) {
	if w.wait != nil {
		w.wait.finish(err)
		return
	}
	el.callAsync(c, w.callback, err)
}

// AsyncWriteCallback queues buf, as AsyncWrite or WriteNoCodec does, and calls callback on
// c's loop once it has been handed to the kernel; see api.CallbackWriter.
func (c *conn) AsyncWriteCallback(buf []byte, noCodec bool, callback api.AsyncCallback) error {
	el := c.el
	if callback == nil {
		return el.write(c, buf, noCodec)
	}
	if err := writeRefused(c); err != nil {
		return err
	}
	if el.onLoop() {
		if err := el.writeOnLoop(c, buf, noCodec); err != nil {
			return err
		}
		el.awaitWritten(c, callback)
		return nil
	}
	op, err := el.newWriteOp(c, buf, noCodec)
	if err != nil {
		return err
	}
	op.callback = callback
	return el.postWrite(c, op)
}

// awaitWritten puts callback in c's list, to run once everything queued so far has been
// written: at the earliest at the end of the turn, so never inside the call that queued.
func (el *eventloop) awaitWritten(c *conn, callback api.AsyncCallback) {
	x := c.ext()
	x.waiters = append(x.waiters, flushWaiter{target: c.queuedTotal, afterHandshake: c.holdsPlaintext(), callback: callback})
	el.markDirty(c)
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
	if err := el.postWrite(c, op); err != nil {
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

// releaseWaiters tells the callers whose bytes have all been written. A callback may write
// again, adding to the list: each released waiter is taken out of the list before its caller
// hears of it.
func (el *eventloop) releaseWaiters(c *conn) {
	x := c.extra
	for x != nil && len(x.waiters) > 0 {
		i := 0
		for i < len(x.waiters) && (x.waiters[i].afterHandshake || c.writtenTotal < x.waiters[i].target) {
			i++
		}
		if i == len(x.waiters) {
			return
		}
		w := x.waiters[i]
		x.waiters = append(x.waiters[:i], x.waiters[i+1:]...)
		x.waiters[len(x.waiters):cap(x.waiters)][0] = flushWaiter{} // let the removed one go
		el.finishWaiter(c, w, nil)
	}
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
	waiters := x.waiters
	x.waiters = nil
	for _, w := range waiters {
		el.finishWaiter(c, w, err)
	}
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
