package server

import (
	"crypto/tls"
	"sync"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/buffer"
)

// The inbox: every request that another goroutine makes of a connection (a write, a
// WriteAndFlush, Wake, Close, CloseWrite, PauseRead, ResumeRead, UpgradeTls) and every result
// a TLS handshake goroutine hands back (the records it wrote, its outcome) travels to the
// connection's loop as one connOp through the loop's task queue, and is carried out by
// runConnOp, below, with the same functions a callback on the loop calls directly. Ops and the
// bytes they carry are pooled, so that the requests do not allocate in the steady state.

// connOpKind is what a connOp asks of its connection's loop.
type connOpKind uint8

const (
	// opWrite queues data (encoded by the writer); flush, when set, is a WriteAndFlush
	// caller waiting for the bytes to reach the kernel, and callback an AsyncCallback.
	opWrite connOpKind = iota
	// opWriteWithdrawn takes back the count of a write refused after it was counted in
	// flight (postWrite).
	opWriteWithdrawn
	// opRecords queues data as it is: ciphertext that a TLS handshake wrote.
	opRecords
	opWake
	opClose
	opCloseWrite
	opPauseRead
	opResumeRead
	// opUpgradeTLS starts TLS as server with tlsConfig.
	opUpgradeTLS
	// opHandshakeDone carries the outcome err of the handshake of layer.
	opHandshakeDone
)

// connOp is one request on its way to a connection's loop.
type connOp struct {
	c         *conn
	kind      connOpKind
	data      []byte // from the byte pool
	flush     *flushWait
	callback  api.AsyncCallback
	tlsConfig *tls.Config
	layer     *tlsLayer
	err       error
}

var connOpPool = sync.Pool{New: func() any { return new(connOp) }}

// newConnOp returns a pooled op of kind for c.
func newConnOp(c *conn, kind connOpKind) *connOp {
	op := connOpPool.Get().(*connOp)
	op.c, op.kind = c, kind
	return op
}

// release returns op and its bytes to their pools.
func (op *connOp) release() {
	buffer.Put(op.data)
	*op = connOp{}
	connOpPool.Put(op)
}

// post hands op to its connection's loop. When the loop has stopped, op is released and
// ErrServerShutdown returned.
func (el *eventloop) post(op *connOp) error {
	if err := el.trigger(runConnOp, op); err != nil {
		op.release()
		return err
	}
	return nil
}

// request posts an op of kind, which carries nothing but the connection, to c's loop.
func (el *eventloop) request(c *conn, kind connOpKind) error {
	return el.post(newConnOp(c, kind))
}

// ask carries out a request that names nothing but c: at once on c's loop, posted from
// anywhere else. A connection that is closing takes none; closed is what ask then returns.
func (c *conn) ask(kind connOpKind, closed error) error {
	if c.closed.Load() {
		return closed
	}
	if c.el.onLoop() {
		op := connOp{c: c, kind: kind}
		c.el.carryOut(&op)
		return nil
	}
	return c.el.request(c, kind)
}

// runConnOp is the task that carries out a posted request on the connection's loop.
func runConnOp(arg any) error {
	op := arg.(*connOp)
	op.c.el.carryOut(op)
	op.release()
	return nil
}

// carryOut does what op asks, on its connection's loop. The connection may have closed since
// the request was made: each kind says what is left to do then.
func (el *eventloop) carryOut(op *connOp) {
	c := op.c
	el.noteServing(c)
	switch op.kind {
	case opWrite:
		err := el.writeFromInbox(c, op.data)
		switch {
		case op.flush != nil:
			el.settleFlush(c, op.flush, err)
		case op.callback == nil:
		case err != nil:
			el.callAsync(c, op.callback, err)
		default:
			el.awaitWritten(c, op.callback)
		}
	case opWriteWithdrawn:
		c.inflight.Add(-1)
		el.markDirty(c) // a close or CloseWrite that waited for it goes on
	case opRecords:
		// Handshake records still go out while an orderly close is pending, so that the
		// peer learns why.
		if !c.retired() && !c.discardOutput {
			// A failure closes c, which fails the handshake: nothing else to tell.
			_ = el.appendOutbound(c, op.data)
		}
	case opWake:
		if c.state == connOpen {
			el.react(c, nil)
		}
	case opClose:
		el.requestClose(c, nil, false)
	case opCloseWrite:
		el.closeWrite(c)
	case opPauseRead:
		if !c.retired() {
			el.blockReads(c, pausedByUser)
		}
	case opResumeRead:
		if !c.retired() {
			el.unblockReads(c, pausedByUser)
		}
	case opUpgradeTLS:
		if err := el.startTLS(c, op.tlsConfig, false); err != nil && c.state == connOpen {
			el.requestClose(c, err, true)
		}
	case opHandshakeDone:
		el.finishHandshake(c, op.layer, op.err)
	}
}
