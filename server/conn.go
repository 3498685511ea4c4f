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

// conn is a stream connection (or a dialed, connected UDP socket) served by one event loop.
// Every field but the atomics is owned by the loop: only the loop's goroutine touches it. Its
// states and their transitions are in conn_state.go; the read path is read.go, the write path
// write.go, and requests from other goroutines reach it through inbox.go.
type conn struct {
	fd     int
	el     *eventloop
	ctx    any
	remote unix.Sockaddr
	// token names the descriptor's registration with the poller; see eventloop.newToken.
	token netpoll.Token
	// extra holds what most connections never need, so that an idle connection stays small.
	extra *connExtra
	tls   *tlsLayer

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
	// nothing is pending: the write timeout's clock.
	stallSince int64
	// activeSweep is the loop's coarse clock at the last read: the idle timeout's clock.
	activeSweep uint32
	// interest is the readiness the descriptor is registered for: EventRead, EventWrite,
	// both, or 0 while it is out of the poller. (Beside activeSweep, where it packs: the
	// struct fills 256 bytes, an allocation class, exactly.)
	interest netpoll.Event

	state  lifecycle
	reads  readBlocks
	writes writeSide

	datagram      bool // a connected UDP socket: every read and every write is one datagram
	opened        bool // OnOpened has fired, so OnClosed must
	discardOutput bool // closing without writing what is pending: a fault, or the peer is gone
	// unwritable is set while pending output is above the high watermark (until it drains
	// below the low one), and reportedUnwritable is what OnWritabilityChanged last said.
	unwritable, reportedUnwritable bool
	// peerEndHandled is set once the peer's end of stream has been acted on (the close
	// requested, or OnReadClosed called), which must happen once however often it is seen.
	peerEndHandled bool
	dirty          bool // in the loop's list of connections to handle at the end of the turn
	decoding       bool // inside the decode loop: the inbound buffers must stay put until it ends
	codecFault     bool // closing because the codec refused the input (for the statistics)

	// closed is set once the connection is closing, for writers on other goroutines.
	closed atomic.Bool
	// writeClosed is set by CloseWrite, so that writers on other goroutines are refused at
	// once.
	writeClosed atomic.Bool
	// inflight counts the writes other goroutines have made that the loop has not carried out
	// yet; an orderly close or a CloseWrite waits for them (postWrite, flushDirty).
	inflight atomic.Int32
}

// connExtra is the part of a connection that most connections never use.
type connExtra struct {
	laddr, raddr net.Addr      // resolved on first use
	waiters      []flushWaiter // WriteAndFlush callers on other goroutines
	dial         *dialOp       // the dial this connection came from, if any
	closeErr     error         // the reason passed to OnClosed
	// lingerUntil (Unix nanoseconds) and lingerLeft (bytes) bound a lingering close.
	lingerUntil int64
	lingerLeft  int
	// proxy is the PROXY protocol header's state: set at the accept while the header is
	// awaited, kept only when one was read (proxy.go).
	proxy *proxyState
}

var (
	_ api.Conn      = (*conn)(nil)
	_ api.Flusher   = (*conn)(nil)
	_ api.ProxyConn = (*conn)(nil)
)

func newConn(fd int, el *eventloop, remote unix.Sockaddr) *conn {
	return &conn{fd: fd, el: el, remote: remote, token: el.newToken(fd)}
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

// retired reports whether c is closed for the application: lingering or closed.
func (c *conn) retired() bool { return c.state >= connLingering }

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

// Wake makes the loop call React(nil, c).
func (c *conn) Wake() error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	return c.el.request(c, opWake)
}

// Close flushes pending output and closes the connection. Closing a connection that is closed
// already, or whose server has stopped, is not an error.
func (c *conn) Close() error {
	if err := c.ask(opClose, nil); err != nil && !errors.Is(err, ErrServerShutdown) {
		return err
	}
	return nil
}

// syscallErr wraps a system call error for OnClosed.
func syscallErr(name string, err error) error { return os.NewSyscallError(name, err) }
