package server

import (
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
)

// Half-close: CloseWrite ends our side of a connection while reading carries on
// (api.HalfCloser), and, with WithHalfClose, the peer's end of stream goes to OnReadClosed
// (api.ReadClosedHandler) instead of closing the connection.

var _ api.HalfCloser = (*conn)(nil)

// readClosedOf returns h's OnReadClosed when the half-close option is on and h has one.
func readClosedOf(h api.EventHandler, cfg *config) api.ReadClosedHandler {
	if !cfg.HalfClose {
		return nil
	}
	r, _ := h.(api.ReadClosedHandler)
	return r
}

// CloseWrite sends the pending output, then our end of stream; see api.HalfCloser.
func (c *conn) CloseWrite() error {
	if c.datagram {
		return ErrNotStream
	}
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.writeClosed.Swap(true) {
		return nil
	}
	if c.el.onLoop() {
		c.el.closeWrite(c)
		return nil
	}
	return c.el.trigger(runCloseWrite, c)
}

// runCloseWrite is the task behind CloseWrite from another goroutine.
func runCloseWrite(arg any) error {
	c := arg.(*conn)
	c.el.closeWrite(c)
	return nil
}

// closeWrite starts shutting c down for writing: a TLS close_notify is queued behind the
// pending output, and flushDirty sends our end of stream once all of it is written.
func (el *eventloop) closeWrite(c *conn) {
	if c.state != connOpen || c.writeSide != writeOpen {
		return
	}
	c.writeSide = writeClosing
	el.sendCloseNotify(c)
	el.markDirty(c)
}

// shutdownWrite sends our end of stream once c's output is written. While a TLS handshake
// runs it waits: the plaintext held for the handshake and the close_notify go first, and the
// handshake's end flushes c again.
func (el *eventloop) shutdownWrite(c *conn) {
	if c.tls != nil && !c.tls.established {
		return
	}
	if err := unix.Shutdown(c.fd, unix.SHUT_WR); err != nil {
		el.closeConn(c, syscallErr("shutdown", err))
		return
	}
	c.writeSide = writeShut
}

// peerEnded acts on the peer's end of stream, once however often it is seen: with the
// half-close option and a handler that implements api.ReadClosedHandler, OnReadClosed decides
// what becomes of c; otherwise c closes once what we owe the peer is written.
func (el *eventloop) peerEnded(c *conn) {
	c.eof = true
	el.markDirty(c) // stop reading: the socket would report end of file at every iteration
	if c.inputEnded {
		return
	}
	c.inputEnded = true
	if el.readClosed == nil || c.state != connOpen {
		el.requestClose(c, nil, false)
		return
	}
	el.fireReadClosed(c)
}

// fireReadClosed calls OnReadClosed and carries out its action, containing a panic to c.
func (el *eventloop) fireReadClosed(c *conn) {
	defer el.recoverHandler(c)
	el.act(c, el.readClosed.OnReadClosed(c))
}

// inputWaiting reports whether the kernel holds bytes (or an end of stream) from fd's peer that
// the loop has not read yet. poll is asked, without waiting: it is the one portable way.
func inputWaiting(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n > 0 && fds[0].Revents&unix.POLLIN != 0
}

// endIfPeerGone closes c, open after the peer ended its side and out of the poller while it
// waits for the handler, once the peer has reset or wholly closed the connection: nothing else
// would tell, since the loop no longer reads it. poll reports a hang-up or an error whatever
// events it is asked about, and reads nothing. A reset leaves its error in SO_ERROR; a hang-up
// without one (both sides have ended their streams) is a normal end.
func (el *eventloop) endIfPeerGone(c *conn) {
	fds := []unix.PollFd{{Fd: int32(c.fd)}}
	n, err := unix.Poll(fds, 0)
	if err != nil || n == 0 || fds[0].Revents&(unix.POLLHUP|unix.POLLERR) == 0 {
		return // nothing to report, or poll was interrupted: the next sweep looks again
	}
	var reason error
	soErr, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	switch {
	case err != nil:
		reason = syscallErr("getsockopt", err)
	case soErr != 0:
		reason = syscallErr("poll", syscall.Errno(soErr))
	}
	el.requestClose(c, reason, true)
}
