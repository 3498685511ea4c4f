package server

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Housekeeping enforces the time bounds of the connection states (conn_state.go) that no
// readiness event would end: a repeating timer of every loop (timers.go) sweeps its
// connections once per sweep interval (config.sweepInterval: at most a second, less when a
// timeout is shorter). It runs as long as the loop does, including while a graceful stop
// drains, so that a drain waits on no connection longer than that connection's own bound.
//
// One pass over the connections per interval costs nothing per message, where a timer per
// connection would cost a timer operation per read to keep an idle timeout current; the
// loop's clock for idle timeouts is the sweep's (eventloop.sweeps).

// sweepTimer is the loop's repeating timer that sweeps.
func sweepTimer(arg any) {
	el := arg.(*eventloop)
	el.sweep(time.Now())
}

// sweep enforces the time bound of every state in which a connection holds its descriptor:
// pending output that made no progress for the write timeout closes it, open or closing; an
// open connection idle (nothing read) for the idle timeout is closed; a lingering close ends at
// its deadline; a PROXY protocol header not whole by its deadline closes its connection; a
// half-closed connection whose peer has gone is closed.
func (el *eventloop) sweep(now time.Time) {
	el.sweeps = uint32(now.Sub(el.epoch) / el.cfg.sweepInterval)
	idleSweeps := el.cfg.idleSweeps
	nowNano := now.UnixNano()
	for _, c := range el.conns {
		switch {
		case c == nil:
		case c.state == connLingering:
			if nowNano >= c.extra.lingerUntil {
				el.endLinger(c)
			}
		case c.state == connAwaitingHeader:
			el.expireProxyHeader(c, nowNano)
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
		case c.reads&peerFinished != 0 && c.interest == 0:
			el.endIfPeerGone(c)
		}
	}
}

// inputWaiting reports whether the kernel holds bytes (or an end of stream) from fd's peer that
// the loop has not read yet. poll is asked, without waiting: it is the one portable way. When
// poll fails (interrupted, out of memory) the answer is unknown, and it reports true: the
// connection is spared until the next sweep asks again, rather than closed as idle while its
// peer's bytes may be waiting.
func inputWaiting(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := pollNow(fds)
	return err != nil || (n > 0 && fds[0].Revents&unix.POLLIN != 0)
}

// endIfPeerGone closes c, open after the peer ended its side and out of the poller while it
// waits for the handler, once the peer has reset or wholly closed the connection: nothing else
// would tell, since the loop no longer reads it. poll reports a hang-up or an error whatever
// events it is asked about, and reads nothing. A reset leaves its error in SO_ERROR; a hang-up
// without one (both sides have ended their streams) is a normal end.
func (el *eventloop) endIfPeerGone(c *conn) {
	fds := []unix.PollFd{{Fd: int32(c.fd)}}
	n, err := pollNow(fds)
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
