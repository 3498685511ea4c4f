package main

import (
	"errors"
	"log"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// proxy relays every accepted connection (the frontend) to a backend it dials from the
// frontend's own event loop, so both halves of a pair live on one loop and every callback of a
// pair runs there, one at a time: a half's state needs no lock.
//
// Bytes are copied through the engine's buffers rather than spliced kernel-side: splice(2)
// would move them past the engine, so a pair could not run TLS or a codec on either side and
// the engine's outbound accounting, watermarks and write timeouts would not see them.
type proxy struct {
	api.EventServer
	pool        *pool
	dialTimeout time.Duration
	quiet       bool
	// onInit, when set, receives the server once it serves (tests and main keep it to stop it).
	onInit func(api.Server)
}

var (
	_ api.WritabilityHandler = (*proxy)(nil)
	_ api.ReadClosedHandler  = (*proxy)(nil)
)

// role says which side of a pair a connection is. Both kinds open through OnOpened, and a
// dialed backend is only known as such when its dial callback runs right after OnOpened.
type role int

const (
	roleUnknown role = iota
	roleFrontend
	roleBackend
)

// half is the context of one connection of a pair. Only the pair's loop touches it.
type half struct {
	role role
	// peer is the other half once the pair is linked; nil before and for a frontend whose
	// every dial failed.
	peer api.Conn
	// readDone is set once this side has finished sending (its end of stream was passed on).
	readDone bool
	// closed is set in OnClosed, so a dial that finishes after its frontend went away knows
	// to drop the backend.
	closed bool
	// start and offset are a frontend's place in the pool's round-robin search: the backend
	// tried last is at offset from start.
	start, offset int
	// backend is the pool index of the backend a frontend is dialing, to mark it down if the
	// dial fails.
	backend int
}

func newProxy(cfg config, logf func(format string, args ...any)) *proxy {
	if cfg.quiet {
		logf = nil
	}
	return &proxy{pool: newPool(cfg.backends, logf), dialTimeout: cfg.dialTimeout, quiet: cfg.quiet}
}

// serveOptions are the engine options the proxy runs with. Half-close lets a side's end of
// stream reach OnReadClosed, to be passed on, instead of closing the pair.
func serveOptions(cfg config) []server.Option {
	return []server.Option{
		server.WithLoopNum(cfg.loops),
		server.WithReusePort(cfg.reusePort),
		server.WithHalfClose(true),
	}
}

func (p *proxy) OnInitComplete(srv api.Server) api.Action {
	if !p.quiet {
		log.Printf("proxy: serving %s with %d event loop(s), reuseport=%v, backends %v",
			srv.Addr, srv.NumEventLoop, srv.ReUsePort, p.pool.addrs)
	}
	if p.onInit != nil {
		p.onInit(srv)
	}
	return api.None
}

// OnOpened holds every new connection's reads and asks for a Wake. A dialed backend gets its
// role from its dial callback, which runs right after this; the Wake arrives later, through
// the loop's queue, so by then a connection still without a role is a frontend.
func (p *proxy) OnOpened(c api.Conn) ([]byte, api.Action) {
	c.SetContext(&half{})
	if err := c.(api.FlowControl).PauseRead(); err != nil {
		return nil, api.Close
	}
	if err := c.Wake(); err != nil {
		return nil, api.Close
	}
	return nil, api.None
}

// React copies a frame to the other half; with a nil frame (the Wake from OnOpened) it starts
// a frontend's first dial.
func (p *proxy) React(frame []byte, c api.Conn) api.Action {
	// hot path: no allocation
	h, ok := c.Context().(*half)
	if !ok {
		return api.Close
	}
	if h.peer != nil {
		if len(frame) == 0 {
			return api.None
		}
		if err := h.peer.WriteNoCodec(frame); err != nil {
			return api.Close
		}
		return api.None
	}
	if h.role != roleUnknown {
		return api.None
	}
	h.role = roleFrontend
	h.start = p.pool.start()
	h.offset = 0
	if !p.dialNext(c, h) {
		return api.Close
	}
	return api.None
}

// dialNext dials, from front's loop, the first healthy backend at h.offset or after it. It
// reports false when none is left to try, and the frontend must be closed.
func (p *proxy) dialNext(front api.Conn, h *half) bool {
	for {
		index, at, ok := p.pool.pick(h.start, h.offset)
		if !ok {
			return false
		}
		h.backend, h.offset = index, at
		err := server.DialFrom(front, "tcp", p.pool.dialTarget(index), p.dialTimeout, func(b api.Conn, err error) {
			p.dialed(front, h, b, err)
		})
		if err == nil {
			return true
		}
		if errors.Is(err, server.ErrServerShutdown) {
			return false
		}
		p.pool.markDown(index, err)
		h.offset++
	}
}

// dialed links front to its new backend b, or on failure takes the backend out of rotation
// and tries the next one. It runs on front's loop.
func (p *proxy) dialed(front api.Conn, h *half, b api.Conn, err error) {
	if err != nil {
		if errors.Is(err, server.ErrServerShutdown) {
			return
		}
		p.pool.markDown(h.backend, err)
		if h.closed {
			return
		}
		h.offset++
		if !p.dialNext(front, h) {
			// The frontend cannot be served; Close only fails once it is already closed.
			_ = front.Close()
		}
		return
	}
	bh, ok := b.Context().(*half)
	if !ok || h.closed {
		// The client left while the dial was in flight; Close only fails once b is closed.
		_ = b.Close()
		return
	}
	bh.role, bh.peer, h.peer = roleBackend, front, b
	// Either resume fails only when that half has closed, and its OnClosed closes the other.
	_ = b.(api.FlowControl).ResumeRead()
	_ = front.(api.FlowControl).ResumeRead()
}

// OnWritabilityChanged pauses the half that feeds c while c's output is above the high
// watermark and resumes it once below the low one, so a slow reader on one side bounds what
// the proxy buffers for it.
func (p *proxy) OnWritabilityChanged(c api.Conn, writable bool) {
	h, ok := c.Context().(*half)
	if !ok || h.peer == nil {
		return
	}
	fc := h.peer.(api.FlowControl)
	// Either call fails only once the peer has closed, and then its OnClosed closes c.
	if writable {
		_ = fc.ResumeRead()
	} else {
		_ = fc.PauseRead()
	}
}

// OnReadClosed passes c's end of stream on: the other half sends what it still holds for its
// peer, then shuts down its writing side, while the other direction carries on (a client that
// has sent its whole request still gets the answer). Once both sides have finished sending,
// the pair is closed. It runs after React has relayed every byte c sent.
func (p *proxy) OnReadClosed(c api.Conn) api.Action {
	h, ok := c.Context().(*half)
	if !ok || h.peer == nil {
		return api.Close // not relaying: nothing to pass the end on to
	}
	h.readDone = true
	if ph, ok := h.peer.Context().(*half); ok && ph.readDone {
		// Both directions are finished; Close sends the peer's pending output first, and c's
		// own close (the returned action) closes the peer through OnClosed as well.
		return api.Close
	}
	if err := h.peer.(api.HalfCloser).CloseWrite(); err != nil {
		return api.Close // the peer is gone: its OnClosed closes c, or this does
	}
	return api.None
}

// OnClosed closes the other half; Close first flushes what that half still has to send.
func (p *proxy) OnClosed(c api.Conn, _ error) api.Action {
	h, ok := c.Context().(*half)
	if !ok {
		return api.None
	}
	h.closed = true
	if h.peer != nil {
		// Close fails only when the peer is closed already, which is the aim.
		_ = h.peer.Close()
	}
	return api.None
}
