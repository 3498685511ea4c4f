// Package embedded is an api.Conn without a socket or an engine, in the manner of Netty's
// EmbeddedChannel: a test feeds it inbound bytes, it cuts them into frames with a codec and
// hands each to a handler's React, exactly as an event loop does, and it collects what the
// handler writes. Handlers and codecs are then tested and benchmarked on their own.
//
//	c := embedded.New(handler, embedded.WithCodec(codec.NewLineBasedFrameCodec()))
//	c.Open()
//	action, err := c.Feed([]byte("PING\r\n"))
//	reply := c.TakeOutbound()
//
// A Conn is used by one goroutine at a time, the test's, which stands for the event loop: the
// methods an engine lets other goroutines call (AsyncWrite, Wake, Close, ...) act at once here
// instead of through a queue. Frames, and slices from Read and ReadN, alias the inbound buffer
// until the next Feed, as the engine's alias its buffers until the callback returns.
package embedded

import (
	"crypto/tls"
	"errors"
	"io"
	"net"

	"github.com/gnetio/gnet/api"
)

// ErrNoTLS is returned by UpgradeTls: an embedded connection has no TLS layer. Its other
// methods fail with the api errors an engine's connection would return (api.ErrConnClosed,
// api.ErrWriteClosed, api.ErrNotDatagram).
var ErrNoTLS = errors.New("gnet: an embedded connection cannot speak TLS")

// Conn is an in-memory stream connection. The zero value is not usable; create one with New.
type Conn struct {
	handler api.EventHandler
	codec   api.ICodec
	local   net.Addr
	remote  net.Addr
	ctx     any
	// proxy is the PROXY protocol header the connection began with, when hasProxy is set.
	proxy    api.ProxyHeader
	hasProxy bool

	// in[read:] holds the inbound bytes not yet consumed.
	in   []byte
	read int
	out  []byte

	writes   int
	writeErr error
	// stalled models a peer that reads nothing: written bytes stay pending (counted in
	// pending, which OutboundLength reports) until DrainOutput.
	stalled     bool
	pending     int
	wakes       int
	opened      bool
	closed      bool
	closeErr    error
	writeClosed bool
	paused      bool
}

var (
	_ api.Conn        = (*Conn)(nil)
	_ api.Flusher     = (*Conn)(nil)
	_ api.FlowControl = (*Conn)(nil)
	_ api.HalfCloser  = (*Conn)(nil)
	_ api.ProxyConn   = (*Conn)(nil)
)

// Option configures a Conn.
type Option func(*Conn)

// WithCodec makes Feed cut inbound bytes into frames with codec, and AsyncWrite encode with it
// (default: none; every Feed is one frame, and writes go out as they are).
func WithCodec(codec api.ICodec) Option { return func(c *Conn) { c.codec = codec } }

// WithAddrs sets what LocalAddr and RemoteAddr return (default: nil).
func WithAddrs(local, remote net.Addr) Option {
	return func(c *Conn) { c.local, c.remote = local, remote }
}

// WithProxyHeader makes the connection one that began with a PROXY protocol header, as an
// engine's connection does behind a load balancer: ProxyHeader returns header, and when header
// carries addresses LocalAddr and RemoteAddr return them, whatever WithAddrs says (default: no
// header).
func WithProxyHeader(header api.ProxyHeader) Option {
	return func(c *Conn) { c.proxy, c.hasProxy = header, true }
}

// New returns a connection for handler, which may be nil for a test that drives a codec alone:
// Feed then only buffers.
func New(handler api.EventHandler, opts ...Option) *Conn {
	c := &Conn{handler: handler}
	for _, opt := range opts {
		opt(c)
	}
	if c.hasProxy && c.proxy.Source != nil {
		c.local, c.remote = c.proxy.Destination, c.proxy.Source
	}
	return c
}

// Open calls OnOpened, queues its greeting as it is, and carries out its action. It returns
// that action.
func (c *Conn) Open() api.Action {
	c.opened = true
	if c.handler == nil {
		return api.None
	}
	out, action := c.handler.OnOpened(c)
	if len(out) > 0 {
		// A greeting meets a connection that is open: it can only fail as FailWrites says,
		// which the test sees in Outbound.
		_ = c.queue(out)
	}
	c.act(action)
	return action
}

// Feed appends p to the inbound bytes, as one read from the socket would, and lets the codec
// and the handler consume them the way an event loop does: Decode and React until no whole
// frame is buffered, the handler returns an action other than None, or the connection closes.
// It returns the handler's last action and, when the codec found the stream malformed, the
// codec's error (the connection is then closed with it, as the engine would). Without a codec
// every Feed is one frame, the bytes buffered with it included.
//
// hot path: no allocation once the buffers have grown
func (c *Conn) Feed(p []byte) (api.Action, error) {
	c.buffer(p)
	if c.handler == nil || c.closed {
		return api.None, nil
	}
	for !c.closed {
		frame, err := c.decode()
		if err != nil {
			c.closeWith(err)
			return api.Close, err
		}
		if frame == nil {
			return api.None, nil
		}
		action := c.handler.React(frame, c)
		c.act(action)
		if action != api.None {
			return action, nil
		}
	}
	return api.Close, nil
}

// decode returns the next whole frame, nil while none is buffered, or the codec's error for a
// malformed stream.
func (c *Conn) decode() ([]byte, error) {
	if c.codec == nil {
		frame := c.Read()
		if len(frame) == 0 {
			return nil, nil
		}
		c.ResetBuffer()
		return frame, nil
	}
	frame, err := c.codec.Decode(c)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, nil
	}
	return frame, err
}

// Buffer appends p to the inbound bytes without decoding them, for a test that drives a codec
// itself (Feed of a connection without a handler does the same). Like a read, it may end the
// validity of frames decoded before it.
func (c *Conn) Buffer(p []byte) { c.buffer(p) }

// buffer appends p to the inbound bytes, reusing the array once everything has been consumed.
func (c *Conn) buffer(p []byte) {
	if c.read == len(c.in) {
		c.in, c.read = c.in[:0], 0
	}
	c.in = append(c.in, p...)
}

// act carries out an action returned by a callback.
func (c *Conn) act(action api.Action) {
	if action == api.Close || action == api.Shutdown {
		c.closeWith(nil)
	}
}

// RunPending calls React(nil, c) once for every Wake since the last call, as the loop does for
// a Wake, and returns how many it ran.
func (c *Conn) RunPending() int {
	ran := 0
	for ; c.wakes > 0 && !c.closed; c.wakes-- {
		c.act(c.handler.React(nil, c))
		ran++
	}
	c.wakes = 0
	return ran
}

// Outbound returns everything written and not yet taken, without taking it.
func (c *Conn) Outbound() []byte { return c.out }

// TakeOutbound returns everything written and not yet taken, and forgets it. The slice is
// valid until the next write.
func (c *Conn) TakeOutbound() []byte {
	out := c.out
	c.out = c.out[:0]
	return out
}

// Writes returns how many writes succeeded.
func (c *Conn) Writes() int { return c.writes }

// FailWrites makes every later write fail with err, as the engine's do once a connection is
// over its outbound limit, say; nil makes them succeed again.
func (c *Conn) FailWrites(err error) { c.writeErr = err }

// Closed reports whether the connection was closed, and the reason passed to OnClosed.
func (c *Conn) Closed() (closed bool, reason error) { return c.closed, c.closeErr }

// Paused reports whether PauseRead is in effect.
func (c *Conn) Paused() bool { return c.paused }

// closeWith closes the connection once, calling OnClosed with reason when OnOpened ran.
func (c *Conn) closeWith(reason error) {
	if c.closed {
		return
	}
	c.closed, c.closeErr = true, reason
	if c.opened && c.handler != nil {
		c.handler.OnClosed(c, reason)
	}
}

// queue appends data to the outbound bytes, or returns why it cannot.
func (c *Conn) queue(data []byte) error {
	switch {
	case c.closed:
		return api.ErrConnClosed
	case c.writeClosed:
		return api.ErrWriteClosed
	case c.writeErr != nil:
		return c.writeErr
	}
	c.out = append(c.out, data...)
	c.writes++
	if c.stalled {
		c.pending += len(data)
	}
	return nil
}

// Context returns the value stored with SetContext.
func (c *Conn) Context() any { return c.ctx }

// SetContext stores a user value with the connection.
func (c *Conn) SetContext(ctx any) { c.ctx = ctx }

// LocalAddr returns the address given with WithAddrs.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// ProxyHeader returns the header given with WithProxyHeader, and false without one.
func (c *Conn) ProxyHeader() (api.ProxyHeader, bool) { return c.proxy, c.hasProxy }

// RemoteAddr returns the address given with WithAddrs.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// Read returns the inbound bytes not yet consumed, without consuming them.
func (c *Conn) Read() []byte { return c.in[c.read:] }

// ResetBuffer discards every inbound byte.
func (c *Conn) ResetBuffer() { c.in, c.read = c.in[:0], 0 }

// ShiftN discards up to n inbound bytes and returns how many it discarded.
func (c *Conn) ShiftN(n int) int {
	n = min(max(n, 0), c.BufferLength())
	c.read += n
	return n
}

// ReadN consumes and returns the next n inbound bytes, or nothing when fewer are buffered.
func (c *Conn) ReadN(n int) (int, []byte) {
	if n <= 0 || c.BufferLength() < n {
		return 0, nil
	}
	buf := c.in[c.read : c.read+n : c.read+n]
	c.read += n
	return n, buf
}

// BufferLength returns how many inbound bytes are not yet consumed.
func (c *Conn) BufferLength() int { return len(c.in) - c.read }

// SendTo returns api.ErrNotDatagram: an embedded connection is a stream.
func (c *Conn) SendTo([]byte) error { return api.ErrNotDatagram }

// AsyncWrite encodes buf with the codec, when there is one, and queues it.
func (c *Conn) AsyncWrite(buf []byte) error {
	if c.codec == nil {
		return c.queue(buf)
	}
	encoded, err := c.codec.Encode(c, buf)
	if err != nil {
		return err
	}
	return c.queue(encoded)
}

// WriteNoCodec queues buf as it is.
func (c *Conn) WriteNoCodec(buf []byte) error { return c.queue(buf) }

// FlushWrite queues buf, encoded unless noCodec says otherwise: in memory, queued is flushed.
func (c *Conn) FlushWrite(buf []byte, noCodec ...bool) {
	// As with the engine, FlushWrite has no result: WriteAndFlush is for callers that want it.
	_ = c.WriteAndFlush(buf, len(noCodec) > 0 && noCodec[0])
}

// WriteAndFlush queues buf, encoded unless noCodec, and returns what queuing it returned: in
// memory, queued is flushed, so there is nothing to wait for (see api.Flusher).
func (c *Conn) WriteAndFlush(buf []byte, noCodec bool) error {
	if noCodec {
		return c.WriteNoCodec(buf)
	}
	return c.AsyncWrite(buf)
}

// Wake asks for React(nil, c), which RunPending then calls.
func (c *Conn) Wake() error {
	if c.closed {
		return api.ErrConnClosed
	}
	c.wakes++
	return nil
}

// Close closes the connection; OnClosed follows at once with a nil error. Closing twice is not
// an error.
func (c *Conn) Close() error {
	c.closeWith(nil)
	return nil
}

// CloseWrite makes later writes fail with api.ErrWriteClosed; reading goes on.
func (c *Conn) CloseWrite() error {
	if c.closed {
		return api.ErrConnClosed
	}
	c.writeClosed = true
	return nil
}

// UpgradeTls returns ErrNoTLS.
func (c *Conn) UpgradeTls(*tls.Config) error { return ErrNoTLS }

// OutboundLength returns how many written bytes the peer has not taken: none, unless
// StallOutput made it stop reading.
func (c *Conn) OutboundLength() int { return c.pending }

// StallOutput makes the peer stop reading (true) or read again (false): while it is stalled,
// what is written stays pending in OutboundLength until DrainOutput, as it would in the
// engine's outbound buffer; Outbound still shows it.
func (c *Conn) StallOutput(stalled bool) { c.stalled = stalled }

// DrainOutput lets the peer read until at most left bytes are pending, and returns how many
// are.
func (c *Conn) DrainOutput(left int) int {
	c.pending = min(c.pending, max(left, 0))
	return c.pending
}

// PendingWakes returns how many Wakes wait for RunPending.
func (c *Conn) PendingWakes() int { return c.wakes }

// PauseRead records that reading is paused; Paused reports it.
func (c *Conn) PauseRead() error {
	c.paused = true
	return nil
}

// ResumeRead undoes PauseRead.
func (c *Conn) ResumeRead() error {
	c.paused = false
	return nil
}
