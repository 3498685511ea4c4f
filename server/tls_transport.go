package server

import (
	"io"
	"net"
	"sync"
	"time"
)

// tlsTransport is the net.Conn that crypto/tls reads ciphertext from and writes ciphertext to.
// The event loop feeds it the bytes it reads from the socket; what crypto/tls writes goes to
// the connection's outbound buffer.
//
// It has two modes. While the handshake runs on its own goroutine, Read blocks until the loop
// has fed bytes (or the transport is closed), because crypto/tls's handshake keeps the first
// error it sees and cannot be resumed. Once the handshake is done, only the loop uses the
// transport, and Read returns errWouldBlock when it has nothing: crypto/tls does not make a
// temporary net.Error sticky, keeps the partial record it holds, and returns the error from
// tls.Conn.Read, so the loop can stop and come back when more bytes arrive.
type tlsTransport struct {
	c *conn
	// The addresses are resolved once, on the loop, because crypto/tls asks for them from the
	// handshake goroutine.
	laddr, raddr net.Addr

	mu       sync.Mutex
	ready    sync.Cond // signalled when bytes are fed or the transport closes
	in       []byte    // fed and not yet read
	closed   bool
	blocking bool // handshake mode
}

func newTLSTransport(c *conn) *tlsTransport {
	tr := &tlsTransport{c: c, blocking: true, laddr: c.LocalAddr(), raddr: c.RemoteAddr()}
	tr.ready.L = &tr.mu
	return tr
}

// feed appends ciphertext read from the socket. Only the loop calls it.
func (tr *tlsTransport) feed(p []byte) {
	tr.mu.Lock()
	tr.in = append(tr.in, p...)
	tr.mu.Unlock()
	tr.ready.Signal()
}

// Read hands crypto/tls the bytes fed so far.
func (tr *tlsTransport) Read(p []byte) (int, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for len(tr.in) == 0 {
		switch {
		case tr.closed:
			return 0, io.EOF
		case !tr.blocking:
			return 0, errWouldBlock
		}
		tr.ready.Wait()
	}
	n := copy(p, tr.in)
	tr.in = tr.in[n:]
	if len(tr.in) == 0 {
		tr.in = tr.in[:0:0] // let the consumed array go rather than keep it per connection
	}
	return n, nil
}

// Write passes ciphertext to the connection: directly on the loop, through the loop's queue
// from the handshake goroutine.
func (tr *tlsTransport) Write(p []byte) (int, error) {
	c := tr.c
	el := c.el
	if el.onLoop() {
		if err := el.appendOutbound(c, p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	op := newConnOp(c, opRecords)
	op.data = copyToPooled(p)
	if err := el.post(op); err != nil {
		return 0, err
	}
	return len(p), nil
}

// nonBlocking switches the transport to the loop's mode once the handshake is done.
func (tr *tlsTransport) nonBlocking() {
	tr.mu.Lock()
	tr.blocking = false
	tr.mu.Unlock()
}

// Close wakes a blocked handshake, which then fails. It does not close the socket: the loop
// owns that.
func (tr *tlsTransport) Close() error {
	tr.mu.Lock()
	tr.closed = true
	tr.mu.Unlock()
	tr.ready.Broadcast()
	return nil
}

func (tr *tlsTransport) LocalAddr() net.Addr  { return tr.laddr }
func (tr *tlsTransport) RemoteAddr() net.Addr { return tr.raddr }

// Deadlines are the engine's business (the handshake timeout, the write timeout).
func (tr *tlsTransport) SetDeadline(time.Time) error      { return nil }
func (tr *tlsTransport) SetReadDeadline(time.Time) error  { return nil }
func (tr *tlsTransport) SetWriteDeadline(time.Time) error { return nil }

// errWouldBlock tells crypto/tls that no more input is buffered for now. It is temporary, so
// the record layer does not keep it as a permanent error.
var errWouldBlock error = wouldBlockError{}

type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "gnet: tls: no more buffered input" }
func (wouldBlockError) Timeout() bool   { return false }
func (wouldBlockError) Temporary() bool { return true }
