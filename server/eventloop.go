package server

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/server/internal/gid"
	"github.com/gnetio/gnet/server/internal/timerwheel"
)

// errLoopStopped is returned by the stop task to end a loop's Polling.
var errLoopStopped = errors.New("gnet: event loop stopped")

// eventloop is one event loop: a goroutine that owns a poller, the connections registered with
// it, and their buffers. Everything but the atomics is touched only by that goroutine.
type eventloop struct {
	idx     int
	srv     *server
	cfg     *config
	handler api.EventHandler
	poller  netpoll.Poller

	// gid identifies the loop's goroutine while it runs, so that writers can tell whether
	// they are on it.
	gid atomic.Uint64
	// connCount counts the connections whose descriptor the loop holds, lingering ones
	// included. The least-connections balancer reads it on the acceptor's goroutine, and a
	// graceful stop waits for it to reach zero.
	connCount atomic.Int32

	// listeners are the sockets this loop accepts on (or reads datagrams from) itself.
	listeners []*listener
	// conns indexes the loop's connections by descriptor.
	conns []*conn
	// udp indexes the loop's datagram sockets by descriptor.
	udp map[int]*listener
	// dgram is what the loop keeps to serve datagrams, made when the first one arrives.
	dgram *datagramLoop

	readBuf   []byte
	iovs      [][]byte
	iovecs    []unix.Iovec
	encodeBuf []byte
	// tlsBuf receives decrypted bytes; allocated when the loop first serves TLS.
	tlsBuf []byte
	// dirty lists connections with output to write or a close to finish.
	dirty []*conn
	// generation numbers the loop's connection registrations; see newToken.
	generation uint32
	// acceptPaused is set while accepting backs off after running out of descriptors.
	acceptPaused bool
	// sweeps is the loop's coarse clock for idle timeouts: how many sweep intervals have passed
	// since epoch, as of the last sweep. It follows the wall clock rather than counting sweeps,
	// so that sweeps queued up behind a busy loop, which then run back to back, do not make
	// connections look idle.
	sweeps uint32
	epoch  time.Time
	// timers are the loop's timers, on clockOrigin's monotonic clock (timers.go).
	timers      *timerwheel.Wheel
	clockOrigin time.Time
	// taskPool keeps the loop's scheduled tasks for reuse (timers.go).
	taskPool sync.Pool
	// execute is runExecuted bound to the loop, made once.
	execute netpoll.TaskFunc
	// halted is set once the loop has stopped serving, for good: functions and timers
	// submitted then are refused.
	halted atomic.Bool
	// acceptStopped is set once the server stops accepting, for good.
	acceptStopped bool
	// writability is the handler's OnWritabilityChanged, when it has one.
	writability api.WritabilityHandler
	// readClosed is the handler's OnReadClosed, when it has one and the half-close option is
	// on.
	readClosed api.ReadClosedHandler
	// proxyFailed is the handler's OnProxyHeaderFailed, when it has one.
	proxyFailed api.ProxyHeaderHandler
	// closeSignalled is set once a graceful stop has called SignalClose for the loop's open
	// connections; a connection that opens later (its PROXY protocol header came in late) is
	// signalled as it opens.
	closeSignalled bool
	// stats are the loop's counters (stats.go); watchdog is what it publishes for the stall
	// watchdog (watchdog.go).
	stats    loopStats
	watchdog loopWatch
}

// maxIovecs bounds the chunks one writev hands the kernel; IOV_MAX is 1024 on every system
// we support.
const maxIovecs = 64

// maxWritevBytes bounds the bytes one writev offers, so that one busy connection does not
// hold the loop for long.
const maxWritevBytes = 4 << 20

func newEventloop(srv *server, idx int) (*eventloop, error) {
	p, err := openPoller(srv.cfg)
	if err != nil {
		return nil, err
	}
	el := &eventloop{
		idx:         idx,
		srv:         srv,
		cfg:         srv.cfg,
		handler:     srv.handler,
		poller:      p,
		udp:         make(map[int]*listener),
		epoch:       time.Now(),
		clockOrigin: time.Now(),
		timers:      timerwheel.New(0, timerwheel.DefaultTick),
		readBuf:     make([]byte, srv.cfg.ReadBufferSize),
		writability: writabilityOf(srv.handler),
		readClosed:  readClosedOf(srv.handler, srv.cfg),
		proxyFailed: proxyFailedOf(srv.handler),
		iovs:        make([][]byte, 0, maxIovecs),
		iovecs:      make([]unix.Iovec, 0, maxIovecs),
	}
	el.execute = el.runExecuted
	el.taskPool.New = func() any { return &schedTask{el: el} }
	return el, nil
}

// onLoop reports whether the caller runs on this loop's goroutine.
func (el *eventloop) onLoop() bool {
	return gid.Current() == el.gid.Load()
}

// newToken returns the poller token of a new connection on fd: the descriptor in the lower half,
// a generation that no earlier connection of this loop had in the upper half. An event that a
// closed connection's descriptor had pending when its number was reused then carries the old
// token and is dropped (handleEvent). Generation 0 marks the loop's own sockets (listeners,
// datagram sockets), which keep their descriptor for the loop's whole life.
func (el *eventloop) newToken(fd int) netpoll.Token {
	el.generation++
	if el.generation == 0 { // wrapped: 0 is the sockets'
		el.generation = 1
	}
	return netpoll.Token(el.generation)<<32 | netpoll.Token(uint32(fd))
}

// socketToken is the poller token of one of the loop's own sockets.
func socketToken(fd int) netpoll.Token { return netpoll.Token(uint32(fd)) }

// trigger queues fn(arg) on the loop in order with the other tasks of normal priority.
func (el *eventloop) trigger(fn netpoll.TaskFunc, arg any) error {
	if err := el.poller.Trigger(netpoll.PriorityNormal, fn, arg); err != nil {
		if errors.Is(err, netpoll.ErrPollerClosed) {
			return ErrServerShutdown
		}
		return err
	}
	return nil
}

// run serves events until the loop is stopped. It returns nil when stopped by the server and
// the error otherwise.
func (el *eventloop) run() error {
	el.gid.Store(gid.Current())
	defer el.gid.Store(0)
	el.publishGoroutine()
	for _, ln := range el.sockets() {
		if err := el.poller.Register(ln.fd, socketToken(ln.fd), netpoll.EventRead); err != nil {
			return fmt.Errorf("gnet: registering listener %s: %w", ln.ep, err)
		}
	}
	if el.idx != acceptorIndex {
		// The sweep that enforces the connections' time bounds (housekeeping.go).
		el.timers.ScheduleAtFixedRate(el.cfg.sweepInterval, el.cfg.sweepInterval, sweepTimer, el)
	}
	err := el.poller.Polling(el.handleEvent, el.endTurn)
	if errors.Is(err, errLoopStopped) || errors.Is(err, netpoll.ErrPollerClosed) {
		return nil
	}
	return err
}

// sockets returns the listening and datagram sockets the loop serves itself.
func (el *eventloop) sockets() []*listener {
	all := append([]*listener(nil), el.listeners...)
	for _, ln := range el.udp {
		all = append(all, ln)
	}
	return all
}

// handleEvent is the poller callback: one ready registration.
func (el *eventloop) handleEvent(token netpoll.Token, ev netpoll.Event) error {
	// hot path: no allocation
	fd := int(uint32(token))
	if token>>32 != 0 {
		// A connection's. One whose descriptor was closed earlier in this turn, and perhaps
		// given to a new connection since, is gone: its event is dropped, as is one from a
		// registration that outlives its close while a duplicate of the descriptor lives.
		if fd < len(el.conns) {
			if c := el.conns[fd]; c != nil && c.token == token {
				el.noteServing(c)
				el.serveConn(c, ev)
				if c.dirty {
					// The replies of this readiness leave now rather than at the end of the
					// turn: the outbound chunk they were written into goes back to the pool
					// before the next connection takes one, which keeps the pool's traffic
					// to its per-processor slot. Output from other goroutines still waits
					// for the end of the turn, written once however many writes came.
					el.flushDirty()
				}
			}
		}
		return nil
	}
	if ln := el.udp[fd]; ln != nil {
		el.readDatagrams(ln)
		return nil
	}
	for _, ln := range el.listeners {
		if ln.fd == fd {
			el.acceptAll(ln)
			return nil
		}
	}
	// A descriptor we no longer serve: an event that raced with its removal.
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
		if c == nil {
			continue
		}
		if c.state != connLingering && !c.outbound.IsEmpty() {
			el.flush(c)
		}
		el.closeConn(c, reason)
	}
}
