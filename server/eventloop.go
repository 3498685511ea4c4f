package server

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/netpoll"
	"github.com/gnetio/gnet/server/internal/gid"
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
	// acceptStopped is set once the server stops accepting, for good.
	acceptStopped bool
	// writability is the handler's OnWritabilityChanged, when it has one.
	writability api.WritabilityHandler
	// readClosed is the handler's OnReadClosed, when it has one and the half-close option is
	// on.
	readClosed api.ReadClosedHandler
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
	return &eventloop{
		idx:         idx,
		srv:         srv,
		cfg:         srv.cfg,
		handler:     srv.handler,
		poller:      p,
		udp:         make(map[int]*listener),
		epoch:       time.Now(),
		readBuf:     make([]byte, srv.cfg.ReadBufferSize),
		writability: writabilityOf(srv.handler),
		readClosed:  readClosedOf(srv.handler, srv.cfg),
		iovs:        make([][]byte, 0, maxIovecs),
		iovecs:      make([]unix.Iovec, 0, maxIovecs),
	}, nil
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
	for _, ln := range el.sockets() {
		if err := el.poller.Register(ln.fd, socketToken(ln.fd), netpoll.EventRead); err != nil {
			return fmt.Errorf("gnet: registering listener %s: %w", ln.ep, err)
		}
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
		// given to a new connection since, is gone: its event is dropped.
		if fd < len(el.conns) {
			if c := el.conns[fd]; c != nil && c.token == token {
				el.serveConn(c, ev)
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

// serveConn handles readiness on one connection. Pending output is written before reading,
// so that a connection whose peer has started reading again drains what it owes before it
// produces more; EPOLLERR and EPOLLHUP are always reported by the kernel, even without read
// interest, so they go to the read path, where the read returns the error or end of file.
func (el *eventloop) serveConn(c *conn, ev netpoll.Event) {
	if c.lingering {
		el.discardLingering(c)
		return
	}
	if c.state == connConnecting {
		el.finishConnect(c)
		return
	}
	if ev&netpoll.EventWrite != 0 && !c.outbound.IsEmpty() {
		el.flush(c)
		// The end of the turn drops write interest once the output is gone (a level-triggered
		// loop would otherwise report writability forever), resumes paused reads and
		// finishes a pending close.
		el.markDirty(c)
	}
	if c.state == connClosed {
		return
	}
	if c.state == connClosing {
		switch {
		case ev&(netpoll.EventHangup|netpoll.EventError) != 0:
			// The peer is gone: what is pending can no longer be delivered.
			c.abort = true
			el.markDirty(c)
		case ev&netpoll.EventRead != 0 && c.awaitsHandshake():
			el.read(c) // handshake records only: nothing reaches React once closing
		}
		return
	}
	// A readiness already in this batch when reading was paused is left for later; a hang-up
	// or an error is read at once even then, since the kernel keeps reporting those whatever
	// the interest and they would otherwise repeat at every iteration.
	if ev&(netpoll.EventHangup|netpoll.EventError) != 0 || (ev&netpoll.EventRead != 0 && c.wantsRead()) {
		el.read(c)
	}
}

// read takes what the socket has, hands every whole frame to React and keeps the rest.
func (el *eventloop) read(c *conn) {
	// hot path: no allocation
	n, err := readFD(c.fd, el.readBuf)
	switch {
	case errors.Is(err, unix.EAGAIN):
		return
	case err != nil:
		el.closeConn(c, syscallErr("read", err))
		return
	case c.tls != nil:
		el.readTLS(c, n)
		return
	case c.datagram:
		// One datagram, one frame, whatever the codec: a datagram has its own boundaries.
		c.view = el.readBuf[:n]
		el.react(c, c.view)
		c.view = nil
		return
	case n == 0:
		el.peerEnded(c)
		return
	}
	c.activeSweep = el.sweeps
	data := el.readBuf[:n]
	if c.inbound.IsEmpty() {
		c.view = data
	} else if _, err := c.inbound.Write(data); err != nil {
		el.closeConn(c, err)
		return
	}
	el.decodeAndReact(c)
	if c.state == connClosed {
		return
	}
	if len(c.view) > 0 {
		// The rest of an incomplete frame must outlive the shared read buffer.
		if _, err := c.inbound.Write(c.view); err != nil {
			c.view = nil
			el.requestClose(c, err, true)
			return
		}
	}
	c.view = nil
	if c.inbound.IsEmpty() {
		c.inbound.Release()
	}
}

// decodeAndReact calls React for every whole frame buffered on c.
func (el *eventloop) decodeAndReact(c *conn) {
	// hot path: no allocation
	c.decoding = true
	for c.state == connOpen {
		var frame []byte
		if el.cfg.passthrough {
			// The codec's promise (api.PassthroughCodec): the next frame is the first
			// passthroughLimit unconsumed bytes, taken where they sit.
			frame = c.Read()
			if len(frame) == 0 {
				break
			}
			if n := el.cfg.passthroughLimit; len(frame) > n {
				frame = frame[:n:n]
				c.ShiftN(n)
			} else {
				frame = frame[:len(frame):len(frame)]
				c.ResetBuffer()
			}
		} else {
			before := c.BufferLength()
			var err error
			frame, err = el.cfg.codec.Decode(c)
			if err != nil {
				if !isIncomplete(err) {
					el.requestClose(c, err, true)
				}
				break
			}
			if frame == nil {
				break
			}
			if c.BufferLength() == before {
				el.requestClose(c, ErrCodecNoProgress, true)
				break
			}
		}
		el.react(c, frame)
	}
	c.decoding = false
}

// react calls React and carries out its action, containing a panic to this connection.
func (el *eventloop) react(c *conn, frame []byte) {
	defer el.recoverHandler(c)
	el.act(c, el.handler.React(frame, c))
}

// recoverHandler turns a panic in a callback for c into closing c with ErrHandlerPanic. The
// loop and its other connections carry on.
func (el *eventloop) recoverHandler(c *conn) {
	if r := recover(); r != nil {
		el.cfg.logger.Errorf("gnet: event handler panicked on loop %d: %v\n%s", el.idx, r, debug.Stack())
		if c != nil {
			el.requestClose(c, fmt.Errorf("%w: %v", ErrHandlerPanic, r), true)
		}
	}
}

// act carries out the action a callback for c returned.
func (el *eventloop) act(c *conn, action api.Action) {
	switch action {
	case api.Close:
		el.requestClose(c, nil, false)
	case api.Shutdown:
		el.srv.signalShutdown()
	}
}

// requestClose closes c once the current callback has returned: at once and without writing
// pending output when abort is set, otherwise once pending output is written. err is passed to
// OnClosed; the first reason given wins, but a fault that ends an orderly close (a write
// timeout, a reset while the last output is pending) replaces its nil reason, so that OnClosed
// tells that output was lost.
func (el *eventloop) requestClose(c *conn, err error, abort bool) {
	switch {
	case c.state == connClosed:
		return
	case c.state == connOpen:
		c.state = connClosing
		c.setCloseReason(err)
		c.closed.Store(true)
	case err != nil && c.closeReason() == nil:
		c.setCloseReason(err)
	}
	c.abort = c.abort || abort
	if !c.abort {
		el.sendCloseNotify(c)
	}
	el.markDirty(c)
}

// endTurn is the poller's end-of-turn function: everything the turn's events and tasks queued
// is written, and every requested close finished, once per connection.
func (el *eventloop) endTurn() error {
	el.flushDirty()
	return nil
}

// markDirty adds c to the connections the loop flushes at the end of the turn.
func (el *eventloop) markDirty(c *conn) {
	if !c.dirty {
		c.dirty = true
		el.dirty = append(el.dirty, c)
	}
}

// flushDirty writes pending output and finishes requested closes, once per connection. It runs
// at the end of every turn of the loop, and when the loop stops.
func (el *eventloop) flushDirty() {
	// hot path: no allocation
	for i := 0; i < len(el.dirty); i++ { // flush may mark more connections dirty
		c := el.dirty[i]
		el.dirty[i] = nil
		c.dirty = false
		if c.state == connClosed {
			continue
		}
		if !c.abort && !c.outbound.IsEmpty() {
			el.flush(c)
		}
		if c.state == connClosing && (c.abort || (c.outbound.IsEmpty() && !c.awaitsHandshake())) {
			el.finishClose(c)
			continue
		}
		if c.writeSide == writeClosing && c.outbound.IsEmpty() {
			el.shutdownWrite(c) // closes c if the shutdown fails
		}
		if c.state == connClosed {
			continue
		}
		el.updateInterest(c)
		if c.paused != c.reported && el.writability != nil {
			c.reported = c.paused
			el.reportWritability(c)
		}
	}
	el.dirty = el.dirty[:0]
}

// isIncomplete reports whether a codec error means "no whole frame yet".
func isIncomplete(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF)
}
