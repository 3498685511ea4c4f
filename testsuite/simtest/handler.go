package simtest

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// The server side: a handler that carries out the script steps its connections' messages
// name, and records, per connection, what React saw and the fate of every record it wrote.

const (
	loopWriter  = 1    // records written on the loop (greeting, React, Wake, OnReadClosed)
	helloStep   = 0xff // the step of a connection's first message, which carries no operation
	firstGoTeam = 2    // goroutine writers are numbered from here
)

// recStatus is what the engine said when a record was written.
type recStatus uint8

const (
	accepted recStatus = iota // the write returned nil: it must arrive unless OnClosed says why not
	refused                   // nothing was queued: it must never arrive
	unknown                   // it may or may not have been queued (FlushWrite, a WriteAndFlush cut short)
)

type recEntry struct {
	seq, length int
	kind        byte
	status      recStatus
}

// serverConn is one accepted connection's record. The loop and the handler's goroutines write
// it, under mu.
type serverConn struct {
	mu        sync.Mutex
	h         *handler
	c         api.Conn
	client    int // the client's index, -1 until its first message
	script    *ConnScript
	parser    messageParser
	writers   map[int][]recEntry
	nextGo    int
	wakes     []int // record sizes of Wake calls whose React(nil) is due
	opened    int
	closed    int
	closeErr  error
	closedAt  time.Time
	readEnded bool // OnReadClosed fired
	stopped   bool // a scripted close or panic: later messages are not acted on
	problems  []string
}

func (sc *serverConn) problemf(format string, args ...any) {
	sc.problems = append(sc.problems, fmt.Sprintf(format, args...))
}

// newRecord allocates the next record of writer, logged as unknown until its write returns.
func (sc *serverConn) newRecord(writer int, kind byte, size int) (unit, int) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	u := unit{kind: kind, writer: writer, seq: len(sc.writers[writer]), length: size}
	sc.writers[writer] = append(sc.writers[writer], recEntry{seq: u.seq, length: size, kind: kind, status: unknown})
	return u, u.seq
}

func (sc *serverConn) settle(writer, seq int, st recStatus) {
	sc.mu.Lock()
	sc.writers[writer][seq].status = st
	sc.mu.Unlock()
}

// handler is the scripted server. Its variants add OnWritabilityChanged (pacedHandler).
type handler struct {
	api.EventServer
	sc       *Scenario
	ck       codecKind
	srv      chan api.Server
	mu       sync.Mutex
	conns    []*serverConn
	changed  chan struct{} // a connection opened or closed
	wg       sync.WaitGroup
	problems []string
}

// pacedHandler stops reading a connection while its output is above the high watermark.
type pacedHandler struct{ *handler }

func (p pacedHandler) OnWritabilityChanged(c api.Conn, writable bool) {
	sc := p.conn(c, "OnWritabilityChanged")
	if sc == nil {
		return
	}
	fc := c.(api.FlowControl)
	if writable {
		_ = fc.ResumeRead() // refused only once the connection is closing
	} else {
		_ = fc.PauseRead()
	}
}

func newHandler(s *Scenario) *handler {
	return &handler{sc: s, ck: s.Setup.Codec, srv: make(chan api.Server, 1), changed: make(chan struct{}, 1)}
}

func (h *handler) notify() {
	select {
	case h.changed <- struct{}{}:
	default:
	}
}

func (h *handler) OnInitComplete(s api.Server) api.Action {
	h.srv <- s
	return api.None
}

// conn returns c's record, noting a callback that came after OnClosed.
func (h *handler) conn(c api.Conn, callback string) *serverConn {
	sc, _ := c.Context().(*serverConn)
	if sc == nil {
		h.mu.Lock()
		h.problems = append(h.problems, callback+" on a connection OnOpened never saw")
		h.mu.Unlock()
		return nil
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed > 0 {
		sc.problemf("%s after OnClosed", callback)
	}
	return sc
}

func (h *handler) OnOpened(c api.Conn) ([]byte, api.Action) {
	if sc, ok := c.Context().(*serverConn); ok {
		sc.mu.Lock()
		sc.opened++
		sc.problemf("OnOpened twice")
		sc.mu.Unlock()
		return nil, api.None
	}
	sc := &serverConn{h: h, c: c, client: -1, writers: map[int][]recEntry{}, nextGo: firstGoTeam, opened: 1}
	c.SetContext(sc)
	h.mu.Lock()
	h.conns = append(h.conns, sc)
	h.mu.Unlock()
	h.notify()
	if !h.sc.Setup.Greeting {
		return nil, api.None
	}
	// The greeting goes out as it is, ahead of anything else.
	u, _ := sc.newRecord(loopWriter, kindRaw, unitSize(64, h.ck))
	sc.settle(loopWriter, u.seq, accepted)
	return newUnit(u), api.None
}

func (h *handler) OnClosed(c api.Conn, err error) api.Action {
	sc, _ := c.Context().(*serverConn)
	if sc == nil {
		h.mu.Lock()
		h.problems = append(h.problems, "OnClosed on a connection OnOpened never saw")
		h.mu.Unlock()
		return api.None
	}
	sc.mu.Lock()
	sc.closed++
	if sc.closed == 1 {
		sc.closeErr = err
		sc.closedAt = time.Now()
	} else {
		sc.problemf("OnClosed %d times", sc.closed)
	}
	sc.mu.Unlock()
	h.notify()
	return api.None
}

func (h *handler) OnReadClosed(c api.Conn) api.Action {
	sc := h.conn(c, "OnReadClosed")
	if sc == nil {
		return api.Close
	}
	sc.mu.Lock()
	sc.readEnded = true
	script := sc.script
	sc.mu.Unlock()
	h.loopWrite(sc, opAsyncWrite, unitSize(200, h.ck))
	if script != nil && script.ReadClosedEnd {
		if err := c.(api.HalfCloser).CloseWrite(); err != nil {
			return api.Close
		}
		return api.None
	}
	return api.Close
}

func (h *handler) React(frame []byte, c api.Conn) api.Action {
	sc := h.conn(c, "React")
	if sc == nil {
		return api.Close
	}
	if frame == nil { // a Wake
		sc.mu.Lock()
		size := 0
		if len(sc.wakes) > 0 {
			size = sc.wakes[0]
			sc.wakes = sc.wakes[1:]
		}
		sc.mu.Unlock()
		if size > 0 {
			h.loopWrite(sc, opAsyncWrite, size)
		}
		return api.None
	}
	sc.mu.Lock()
	msgs := sc.parser.feed(frame)
	if err := sc.parser.err; err != nil && len(sc.problems) == 0 {
		sc.problemf("React: %v", err)
	}
	sc.mu.Unlock()
	for _, m := range msgs {
		if a := h.step(sc, m); a != api.None {
			return a
		}
	}
	return api.None
}

// step carries out the script step that message m names.
func (h *handler) step(sc *serverConn, m unit) api.Action {
	sc.mu.Lock()
	if sc.client < 0 && m.seq == 0 {
		sc.client = m.writer
		h.bind(sc)
	}
	if sc.stopped || m.step == helloStep || sc.script == nil || m.step >= len(sc.script.Ops) {
		sc.mu.Unlock()
		return api.None
	}
	op := sc.script.Ops[m.step]
	sc.mu.Unlock()
	c := sc.c
	switch op.Kind {
	case opAsyncWrite, opWriteNoCodec, opFlushLoop, opFlushWriteLoop:
		h.loopWrite(sc, op.Kind, op.RecSize)
	case opGoWrites, opGoFlushes:
		sc.mu.Lock()
		writer := sc.nextGo
		sc.nextGo++
		sc.mu.Unlock()
		h.goRun(func() { h.goWrites(sc, writer, op) })
	case opWake:
		sc.mu.Lock()
		sc.wakes = append(sc.wakes, op.RecSize)
		sc.mu.Unlock()
		h.goRun(func() { _ = c.Wake() }) // refused only once closing, when no React is due
	case opCloseLoop:
		sc.stop()
		return api.Close
	case opCloseGo:
		sc.stop()
		h.goRun(func() { _ = c.Close() })
	case opCloseWrite:
		_ = c.(api.HalfCloser).CloseWrite() // the records it refuses afterwards are logged as such
	case opPauseResume:
		fc := c.(api.FlowControl)
		if fc.PauseRead() == nil {
			h.goRun(func() {
				time.Sleep(time.Duration(op.Millis) * time.Millisecond)
				_ = fc.ResumeRead()
			})
		}
	case opPanic:
		sc.stop()
		panic("simtest: a scripted panic in React")
	}
	return api.None
}

func (sc *serverConn) stop() {
	sc.mu.Lock()
	sc.stopped = true
	sc.mu.Unlock()
}

// bind attaches sc to its client's script (sc.mu held).
func (h *handler) bind(sc *serverConn) {
	for i := range h.sc.Conns {
		if h.sc.Conns[i].Index == sc.client {
			sc.script = &h.sc.Conns[i]
			return
		}
	}
	sc.problemf("first message names client %d, which the scenario does not have", sc.client)
}

// loopWrite writes one record of size on the loop, in the way kind says.
func (h *handler) loopWrite(sc *serverConn, kind opKind, size int) {
	recKind := byte(kindEncoded)
	if kind == opWriteNoCodec {
		recKind = kindRaw
	}
	u, seq := sc.newRecord(loopWriter, recKind, size)
	buf := newUnit(u)
	c := sc.c
	st := unknown
	switch kind {
	case opAsyncWrite:
		st = statusOf(c.AsyncWrite(buf))
	case opWriteNoCodec:
		st = statusOf(c.WriteNoCodec(buf))
	case opFlushLoop:
		err := c.(api.Flusher).WriteAndFlush(buf, false)
		st = flushStatus(err)
		if errors.Is(err, server.ErrWritePending) {
			st = accepted
		}
	case opFlushWriteLoop:
		c.FlushWrite(buf) // no outcome: it stays unknown
	}
	sc.settle(loopWriter, seq, st)
}

func statusOf(err error) recStatus {
	if err == nil {
		return accepted
	}
	return refused
}

// flushStatus is what a WriteAndFlush's error says of its bytes.
func flushStatus(err error) recStatus {
	switch {
	case err == nil, errors.Is(err, server.ErrWriteTimeout):
		return accepted
	case errors.Is(err, server.ErrWriteClosed):
		return refused
	}
	// Closed meanwhile, or the server stopped: queued or not, it may be lost.
	return unknown
}

// goWrites is a goroutine writer: op.Count records, one after the other, until one is refused.
func (h *handler) goWrites(sc *serverConn, writer int, op Op) {
	for i := range op.Count {
		kind := byte(kindEncoded)
		if op.Kind == opGoWrites && i%3 == 2 {
			kind = kindRaw
		}
		u, seq := sc.newRecord(writer, kind, op.RecSize)
		buf := newUnit(u)
		var st recStatus
		switch {
		case op.Kind == opGoFlushes:
			st = flushStatus(sc.c.(api.Flusher).WriteAndFlush(buf, false))
		case kind == kindRaw:
			st = statusOf(sc.c.WriteNoCodec(buf))
		default:
			st = statusOf(sc.c.AsyncWrite(buf))
		}
		sc.settle(writer, seq, st)
		if st == refused {
			return
		}
	}
}

func (h *handler) goRun(f func()) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		f()
	}()
}

// counts returns how many connections opened and closed.
func (h *handler) counts() (opened, closed int) {
	h.mu.Lock()
	conns := append([]*serverConn(nil), h.conns...)
	h.mu.Unlock()
	for _, sc := range conns {
		sc.mu.Lock()
		opened++
		if sc.closed > 0 {
			closed++
		}
		sc.mu.Unlock()
	}
	return opened, closed
}
