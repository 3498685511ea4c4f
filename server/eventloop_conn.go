package server

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/netpoll"
)

// register starts serving an accepted (or dialed) connection on this loop: OnOpened, its
// greeting, and read interest.
func (el *eventloop) register(fd int, remote unix.Sockaddr, tcp bool) {
	if tcp {
		if err := setStreamOptions(fd, el.cfg); err != nil {
			el.cfg.logger.Warnf("gnet: loop %d: dropping new connection: %v", el.idx, err)
			_ = unix.Close(fd) // nothing was opened for it yet; the warning says why
			el.connCount.Add(-1)
			return
		}
	}
	c := newConn(fd, el, remote)
	if err := el.watch(c, netpoll.EventRead); err != nil {
		el.cfg.logger.Warnf("gnet: loop %d: dropping new connection: %v", el.idx, err)
		_ = unix.Close(fd) // nothing was opened for it yet; the warning says why
		el.connCount.Add(-1)
		return
	}
	c.activeSweep = el.sweeps
	el.addConn(c)
	if el.cfg.Tlsconfig != nil {
		if err := el.startTLS(c, el.cfg.Tlsconfig, false); err != nil {
			el.closeConn(c, err)
			return
		}
	}
	el.open(c)
}

// open fires OnOpened and queues its greeting, as is, ahead of anything else.
func (el *eventloop) open(c *conn) {
	defer el.recoverHandler(c)
	c.opened = true
	out, action := el.handler.OnOpened(c)
	if len(out) > 0 {
		if err := el.sendPlain(c, out); err != nil {
			return
		}
	}
	el.act(c, action)
}

// closeConn closes c at once, releases what it holds and fires OnClosed with err. Pending
// output is dropped: callers that want it written use requestClose.
func (el *eventloop) closeConn(c *conn, err error) {
	if c.state == connClosed {
		return
	}
	if c.state == connOpen || c.state == connConnecting {
		c.setCloseReason(err)
	}
	c.state = connClosed
	c.closed.Store(true)
	el.releaseFD(c)
	el.retire(c)
}

// releaseFD gives c's descriptor back: out of the poller, closed, out of the loop's index.
func (el *eventloop) releaseFD(c *conn) {
	c.lingering = false
	// Delete before close: a descriptor closed first would linger in the epoll set while any
	// duplicate of it lives, and its number could be reused by the next accept. One that
	// left the poller (reads paused, nothing to write) has nothing to delete.
	if c.interest != 0 {
		if delErr := el.poller.Deregister(c.fd); delErr != nil && !errors.Is(delErr, unix.EBADF) {
			el.cfg.logger.Debugf("gnet: loop %d: removing fd %d from the poller: %v", el.idx, c.fd, delErr)
		}
	}
	if closeErr := unix.Close(c.fd); closeErr != nil {
		el.cfg.logger.Debugf("gnet: loop %d: closing fd %d: %v", el.idx, c.fd, closeErr)
	}
	el.conns[c.fd] = nil
	el.connCount.Add(-1)
}

// retire ends c for the application once it is marked closed: WriteAndFlush callers are
// released with the reason, buffers dropped, a dial answered and OnClosed fired with the
// recorded reason. The descriptor is not its business.
func (el *eventloop) retire(c *conn) {
	el.abandonWaiters(c)
	c.outbound.Reset()
	if c.tls != nil {
		// Wakes a handshake still waiting for bytes; it fails and its result is ignored.
		_ = c.tls.tr.Close()
		c.tls.pending.Reset()
	}
	if !c.decoding {
		c.view = nil
		c.inbound.Release()
	}
	if d := c.dialOp(); d != nil {
		d.answer(nil, c.closeReason())
	}
	if c.opened {
		el.fireClosed(c, c.closeReason())
	}
}

// fireClosed calls OnClosed and carries out a Shutdown it returns.
func (el *eventloop) fireClosed(c *conn, err error) {
	defer el.recoverHandler(nil)
	if el.handler.OnClosed(c, err) == api.Shutdown {
		el.srv.signalShutdown()
	}
}

// acceptAll accepts every pending connection on a listener this loop owns.
func (el *eventloop) acceptAll(ln *listener) {
	if el.acceptPaused {
		return
	}
	for range acceptBatch {
		fd, sa, err := acceptConn(ln.fd)
		if err != nil {
			if el.acceptFailed(ln, err) {
				return
			}
			continue
		}
		tcp := ln.ep.network != "unix"
		if el.idx == acceptorIndex {
			el.dispatch(fd, sa, tcp)
		} else {
			el.connCount.Add(1)
			el.register(fd, sa, tcp)
		}
	}
}

// acceptorIndex is the index of the loop that only accepts, handing connections out.
const acceptorIndex = -1

// pendingConn is an accepted connection on its way from the acceptor to its loop.
type pendingConn struct {
	el     *eventloop
	fd     int
	remote unix.Sockaddr
	tcp    bool
}

// dispatch hands an accepted connection to the loop the balancer picks. The loop's count
// includes it from now on, so that least-connections sees connections still in transit.
func (el *eventloop) dispatch(fd int, remote unix.Sockaddr, tcp bool) {
	target := el.srv.balancer.pick(remote)
	target.connCount.Add(1)
	if err := target.trigger(runRegister, &pendingConn{el: target, fd: fd, remote: remote, tcp: tcp}); err != nil {
		target.connCount.Add(-1)
		_ = unix.Close(fd) // the loop has stopped; the connection was never opened
	}
}

func runRegister(arg any) error {
	pc := arg.(*pendingConn)
	pc.el.register(pc.fd, pc.remote, pc.tcp)
	return nil
}

// acceptBatch bounds the connections taken per readiness event, so that a flood of connects
// does not starve established connections on the same loop.
const acceptBatch = 128

// acceptFailed handles an accept error and reports whether to stop accepting for now.
func (el *eventloop) acceptFailed(ln *listener, err error) bool {
	switch {
	case errors.Is(err, unix.EAGAIN):
		return true
	case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED), errors.Is(err, unix.EPROTO):
		return false // the pending connection is gone; try the next
	case errors.Is(err, unix.EMFILE), errors.Is(err, unix.ENFILE), errors.Is(err, unix.ENOBUFS), errors.Is(err, unix.ENOMEM):
		el.cfg.logger.Warnf("gnet: loop %d: accept on %s: %v; pausing accepts for %v", el.idx, ln.ep, err, acceptBackoff)
		el.pauseAccept()
		return true
	default:
		el.cfg.logger.Errorf("gnet: loop %d: accept on %s: %v", el.idx, ln.ep, err)
		return true
	}
}

// acceptBackoff is how long accepting pauses after running out of descriptors or memory. The
// listener stays readable while connections wait, so without a pause a level-triggered loop
// would spin on accept failing.
const acceptBackoff = 100 * time.Millisecond

func (el *eventloop) pauseAccept() {
	for _, ln := range el.listeners {
		if err := el.poller.Deregister(ln.fd); err != nil {
			el.cfg.logger.Errorf("gnet: loop %d: pausing accepts on %s: %v", el.idx, ln.ep, err)
		}
	}
	el.acceptPaused = true
	time.AfterFunc(acceptBackoff, func() {
		// An error only means the loop has stopped, and with it the listeners.
		_ = el.trigger(runResumeAccept, el)
	})
}

func runResumeAccept(arg any) error {
	el := arg.(*eventloop)
	if !el.acceptPaused || el.acceptStopped {
		return nil
	}
	el.acceptPaused = false
	for _, ln := range el.listeners {
		if err := el.poller.Register(ln.fd, socketToken(ln.fd), netpoll.EventRead); err != nil {
			el.cfg.logger.Errorf("gnet: loop %d: resuming accepts on %s: %v", el.idx, ln.ep, err)
		}
	}
	return nil
}

// sweep enforces the time bound of every state in which a connection holds its descriptor:
// pending output that made no progress for the write timeout closes it, open or closing; an
// open connection idle (nothing read) for the idle timeout is closed; a lingering close ends at
// its deadline; a half-closed connection whose peer has gone is closed.
func (el *eventloop) sweep(now time.Time) {
	el.sweeps = uint32(now.Sub(el.epoch) / el.cfg.sweepInterval)
	idleSweeps := el.cfg.idleSweeps
	nowNano := now.UnixNano()
	for _, c := range el.conns {
		switch {
		case c == nil:
		case c.lingering:
			if nowNano >= c.extra.lingerUntil {
				el.releaseFD(c)
			}
		case c.stallSince != 0 && nowNano-c.stallSince > int64(el.cfg.writeTimeout):
			el.requestClose(c, ErrWriteTimeout, true)
		case c.state != connOpen:
		case idleSweeps > 0 && el.sweeps-c.activeSweep > idleSweeps:
			if inputWaiting(c.fd) {
				// It did send: the loop has not read it yet, held up by a long callback or
				// reading paused. Not idle.
				c.activeSweep = el.sweeps
				continue
			}
			el.requestClose(c, ErrIdleTimeout, true)
		case c.eof && c.interest == 0:
			el.endIfPeerGone(c)
		}
	}
}

func runSweep(arg any) error {
	el := arg.(*eventloop)
	el.sweep(time.Now())
	return nil
}

// stopOp asks a loop to stop, closing its connections with reason.
type stopOp struct {
	el     *eventloop
	reason error
}

// runStop closes the loop's sockets and connections and ends its Polling.
func runStop(arg any) error {
	op := arg.(*stopOp)
	el := op.el
	for _, ln := range el.sockets() {
		// The socket is about to be closed; a failed removal changes nothing.
		_ = el.poller.Deregister(ln.fd)
	}
	el.closeAll(op.reason)
	return errLoopStopped
}

// closeAll closes every connection of the loop with reason, after writing what the sockets
// take of their pending output, and ends every lingering close at once.
func (el *eventloop) closeAll(reason error) {
	for _, c := range el.conns {
		switch {
		case c == nil:
		case c.lingering:
			el.releaseFD(c)
		default:
			if !c.outbound.IsEmpty() {
				el.flush(c)
			}
			el.closeConn(c, reason)
		}
	}
}
