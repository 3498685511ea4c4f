package server

import (
	"errors"
	"net"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/buffer"
)

// connState is where a connection is in its life. Only its loop reads or changes it.
type connState uint8

const (
	connOpen    connState = iota
	connClosing           // no more reading; closes once pending output is written (or at once if abort)
	connClosed
	connConnecting // dialed; the connect has not finished
)

// conn is a stream connection served by one event loop. Every field but closed is owned by
// the loop: only the loop's goroutine touches it.
type conn struct {
	fd     int
	el     *eventloop
	ctx    any
	remote unix.Sockaddr
	// extra holds what most connections never need, so that an idle connection stays small.
	extra *connExtra

	// inbound holds bytes read but not consumed, when they outlive the read that brought them.
	inbound buffer.Ring
	// view is the unconsumed part of the current read while it still sits in the loop's read
	// buffer (the copy-free path). At most one of view and inbound holds bytes.
	view []byte

	outbound buffer.Outbound
	// queuedTotal and writtenTotal count every byte ever queued and written (ciphertext,
	// under TLS); WriteAndFlush callers wait for writtenTotal to reach the queuedTotal of
	// their write (see flushwrite.go).
	queuedTotal, writtenTotal uint64
	// stallSince is when pending output last made progress, in Unix nanoseconds; 0 while
	// nothing is pending.
	stallSince int64
	// activeSweep is the loop's sweep count at the last read: the idle timeout's clock.
	activeSweep uint32

	state    connState
	abort    bool // close without writing pending output
	opened   bool // OnOpened has fired, so OnClosed must
	dirty    bool // in the loop's list of connections to flush
	paused   bool // pending output went above the high watermark and not yet below the low one
	reported bool // the paused state OnWritabilityChanged last reported
	held     bool // reading paused by PauseRead
	decoding bool // inside the decode loop: buffers must stay put until it ends
	// interest is the readiness the descriptor is registered for: EventRead, EventWrite,
	// both, or 0 while it is out of the poller.
	interest netpoll.Event
	// token names the descriptor's registration with the poller; see eventloop.newToken.
	token netpoll.Token

	datagram bool // a connected UDP socket: every read and every write is one datagram
	eof      bool // the peer closed its side; nothing more to read
	// inputEnded is set once the peer's end of stream has been acted on (the close requested,
	// or OnReadClosed called), which must happen once however often the end is seen.
	inputEnded bool
	// lingering is set while a closed connection still holds its descriptor: shut down for
	// writing, it reads and discards what the peer still sends (see linger.go).
	lingering bool
	writeSide writeSide
	tls       *tlsLayer

	// closed is set once the connection is closing, for writers on other goroutines.
	closed atomic.Bool
	// writeClosed is set by CloseWrite, so that writers on other goroutines are refused at
	// once.
	writeClosed atomic.Bool
}

// writeSide is where the writing half of a connection is after CloseWrite.
type writeSide uint8

const (
	writeOpen    writeSide = iota
	writeClosing           // CloseWrite was called; shutdown(SHUT_WR) once pending output is written
	writeShut              // our end of stream has been sent
)

// connExtra is the part of a connection that most connections never use.
type connExtra struct {
	laddr, raddr net.Addr      // resolved on first use
	waiters      []flushWaiter // WriteAndFlush callers on other goroutines
	dial         *dialOp       // the dial this connection came from, if any
	closeErr     error         // the reason passed to OnClosed
	// lingerUntil (Unix nanoseconds) and lingerLeft (bytes) bound a lingering close.
	lingerUntil int64
	lingerLeft  int
}

// ext returns c's extra part, creating it on first use.
func (c *conn) ext() *connExtra {
	if c.extra == nil {
		c.extra = new(connExtra)
	}
	return c.extra
}

// setCloseReason records why c is closing; a nil reason needs no extra part.
func (c *conn) setCloseReason(err error) {
	if err != nil || c.extra != nil {
		c.ext().closeErr = err
	}
}

// closeReason is the reason recorded by setCloseReason.
func (c *conn) closeReason() error {
	if c.extra == nil {
		return nil
	}
	return c.extra.closeErr
}

// dialOp returns the dial c came from, or nil.
func (c *conn) dialOp() *dialOp {
	if c.extra == nil {
		return nil
	}
	return c.extra.dial
}

// wantsRead reports whether the loop should read c now: it is open, not held by PauseRead, and
// not paused by its own backed-up output. A handler that implements api.WritabilityHandler
// paces reading itself, so output above the watermark does not pause reads then: a relay that
// stopped reading a peer blocked on writing to it would deadlock.
//
// A connection closing in order while its TLS handshake is pending reads too, but only to feed
// the handshake: the plaintext written before the close goes out once the handshake completes.
func (c *conn) wantsRead() bool {
	switch {
	case c.eof:
		return false
	case c.state == connOpen:
		return !c.held && !(c.paused && c.el.writability == nil)
	case c.state == connClosing:
		return c.awaitsHandshake()
	default:
		return false
	}
}

// awaitsHandshake reports whether c is closing in order with plaintext held for a TLS
// handshake that has not completed: the close waits for the handshake (bounded by the
// handshake timeout) so that the plaintext is sent, encrypted, before our end of stream.
func (c *conn) awaitsHandshake() bool {
	return c.state == connClosing && !c.abort && c.holdsPlaintext()
}

var (
	_ api.Conn    = (*conn)(nil)
	_ api.Flusher = (*conn)(nil)
)

func newConn(fd int, el *eventloop, remote unix.Sockaddr) *conn {
	return &conn{fd: fd, el: el, remote: remote, token: el.newToken(fd)}
}

// Context returns the value stored with SetContext.
func (c *conn) Context() any { return c.ctx }

// SetContext stores a user value with the connection.
func (c *conn) SetContext(ctx any) { c.ctx = ctx }

// LocalAddr returns the local address, asking the kernel once.
func (c *conn) LocalAddr() net.Addr {
	x := c.ext()
	if x.laddr == nil {
		if sa, err := unix.Getsockname(c.fd); err == nil {
			x.laddr = sockaddrToAddr(sa, true)
		}
	}
	return x.laddr
}

// RemoteAddr returns the peer's address.
func (c *conn) RemoteAddr() net.Addr {
	x := c.ext()
	if x.raddr == nil && c.remote != nil {
		x.raddr = sockaddrToAddr(c.remote, true)
	}
	return x.raddr
}

// SendTo sends buf as one datagram on a dialed UDP connection; on a stream it is an error.
func (c *conn) SendTo(buf []byte) error {
	if !c.datagram {
		return ErrNotDatagram
	}
	return c.el.write(c, buf, true)
}

// AsyncWrite encodes buf and queues it; see api.Conn.
func (c *conn) AsyncWrite(buf []byte) error { return c.el.write(c, buf, false) }

// WriteNoCodec queues buf as it is; see api.Conn.
func (c *conn) WriteNoCodec(buf []byte) error { return c.el.write(c, buf, true) }

// Wake makes the loop call React(nil, c).
func (c *conn) Wake() error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	return c.el.trigger(runWake, c)
}

// Close flushes pending output and closes the connection.
func (c *conn) Close() error {
	if c.closed.Load() {
		return nil
	}
	if c.el.onLoop() {
		c.el.requestClose(c, nil, false)
		return nil
	}
	err := c.el.trigger(runClose, c)
	if err != nil && !errors.Is(err, ErrServerShutdown) {
		return err
	}
	return nil
}

// runWake is the task behind Wake.
func runWake(arg any) error {
	c := arg.(*conn)
	el := c.el
	if c.state == connOpen {
		el.react(c, nil)
	}
	return nil
}

// runClose is the task behind Close from another goroutine.
func runClose(arg any) error {
	c := arg.(*conn)
	c.el.requestClose(c, nil, false)
	return nil
}

// syscallErr wraps a system call error for OnClosed.
func syscallErr(name string, err error) error { return os.NewSyscallError(name, err) }
