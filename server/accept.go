package server

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/netpoll"
)

// Accepting: a loop with listeners of its own (WithReusePort, or a single loop) accepts and
// serves; otherwise the acceptor loop accepts and hands each connection to the loop the load
// balancer picks. Running out of descriptors pauses accepting briefly instead of spinning.

// acceptorIndex is the index of the loop that only accepts, handing connections out.
const acceptorIndex = -1

// acceptBatch bounds the connections taken per readiness event, so that a flood of connects
// does not starve established connections on the same loop.
const acceptBatch = 128

// acceptBackoff is how long accepting pauses after running out of descriptors or memory. The
// listener stays readable while connections wait, so without a pause a level-triggered loop
// would spin on accept failing.
const acceptBackoff = 100 * time.Millisecond

// acceptAll accepts every pending connection on a listener this loop owns.
func (el *eventloop) acceptAll(ln *listener) {
	if el.acceptPaused || el.acceptStopped {
		// Reported while paused or stopped: the poller refused to let the listener go. Ask
		// again, or level-triggered readiness would spin the loop (and a stopped server
		// would go on accepting).
		el.unwatchListener(ln)
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
		if el.idx == acceptorIndex {
			el.dispatch(fd, sa, ln.accepted)
		} else {
			el.connCount.Add(1)
			el.register(fd, sa, ln.accepted)
		}
	}
}

// pendingConn is an accepted connection on its way from the acceptor to its loop.
type pendingConn struct {
	el     *eventloop
	fd     int
	remote unix.Sockaddr
	opts   streamOptions
}

// dispatch hands an accepted connection to the loop the balancer picks. The loop's count
// includes it from now on, so that least-connections sees connections still in transit.
func (el *eventloop) dispatch(fd int, remote unix.Sockaddr, opts streamOptions) {
	target := el.srv.balancer.pick(remote)
	target.connCount.Add(1)
	if err := target.trigger(runRegister, &pendingConn{el: target, fd: fd, remote: remote, opts: opts}); err != nil {
		target.connCount.Add(-1)
		_ = closeConnFD(fd) // the loop has stopped; the connection was never opened
	}
}

// runRegister is the task behind dispatch, on the chosen loop.
func runRegister(arg any) error {
	pc := arg.(*pendingConn)
	pc.el.register(pc.fd, pc.remote, pc.opts)
	return nil
}

// register starts serving an accepted connection on this loop: the socket options its listener
// did not pass on (opts), read interest, the PROXY protocol header when the server reads one,
// TLS when configured, and OnOpened with its greeting.
func (el *eventloop) register(fd int, remote unix.Sockaddr, opts streamOptions) {
	el.stats.accepted.Add(1)
	if opts != 0 {
		if err := setSomeStreamOptions(fd, el.cfg, opts); err != nil {
			el.dropAccepted(fd, err)
			return
		}
	}
	c := newConn(fd, el, remote)
	if err := el.watch(c, netpoll.EventRead); err != nil {
		el.dropAccepted(fd, err)
		return
	}
	c.activeSweep = el.sweeps
	el.addConn(c)
	if el.cfg.ProxyProtocol != ProxyOff {
		el.awaitProxyHeader(c) // serving starts once the header is read
		return
	}
	el.startServing(c)
}

// startServing serves an accepted connection from its first byte: TLS when configured, then
// OnOpened.
func (el *eventloop) startServing(c *conn) {
	if el.cfg.Tlsconfig != nil {
		if err := el.startTLS(c, el.cfg.Tlsconfig, false); err != nil {
			el.closeConn(c, err)
			return
		}
	}
	el.open(c)
}

// dropAccepted closes an accepted connection that could not be served; nothing was opened for
// it yet, so the log says why.
func (el *eventloop) dropAccepted(fd int, err error) {
	el.cfg.logger.Warnf("gnet: loop %d: dropping new connection: %v", el.idx, err)
	_ = closeConnFD(fd) // the warning is the report; a close error would add nothing
	el.connCount.Add(-1)
}

// addConn indexes c by its descriptor.
func (el *eventloop) addConn(c *conn) {
	for c.fd >= len(el.conns) {
		el.conns = append(el.conns, make([]*conn, len(el.conns)+64)...)
	}
	el.conns[c.fd] = c
}

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

// pauseAccept takes the listeners out of the poller for acceptBackoff. A listener the poller
// refuses to let go is asked again when it is next reported (acceptAll).
func (el *eventloop) pauseAccept() {
	for _, ln := range el.listeners {
		el.unwatchListener(ln)
	}
	el.acceptPaused = true
	el.stats.acceptBackoffs.Add(1)
	el.timers.ScheduleAt(el.clock()+int64(acceptBackoff), resumeAccept, el)
}

// unwatchListener takes ln out of the poller while accepting is paused.
func (el *eventloop) unwatchListener(ln *listener) {
	if ln.unwatched {
		return
	}
	if err := el.poller.Deregister(ln.fd); err != nil {
		el.cfg.logger.Warnf("gnet: loop %d: pausing accepts on %s: %v", el.idx, ln.ep, err)
		return
	}
	ln.unwatched = true
}

// resumeAccept is the loop's timer that registers the listeners again after a pause, unless
// accepting has stopped. When the poller refuses one (out of memory, say), accepting stays
// paused for another acceptBackoff and tries again: given up, the listener would never be
// watched again and the server would stop accepting for good.
func resumeAccept(arg any) {
	el := arg.(*eventloop)
	if !el.acceptPaused || el.acceptStopped {
		return
	}
	for _, ln := range el.listeners {
		if !ln.unwatched {
			continue
		}
		if err := el.poller.Register(ln.fd, socketToken(ln.fd), netpoll.EventRead); err != nil {
			el.cfg.logger.Warnf("gnet: loop %d: resuming accepts on %s: %v; pausing accepts for another %v", el.idx, ln.ep, err, acceptBackoff)
			el.pauseAccept()
			return
		}
		ln.unwatched = false
	}
	el.acceptPaused = false
}
