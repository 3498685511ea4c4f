package api

import (
	"crypto/tls"
	"net"
)

// Conn is one connection (or, for UDP, one datagram's sender) as a handler sees it.
//
// Unless a method says otherwise, call it only from a callback running on the connection's
// event loop (OnOpened, React, OnClosed, SignalClose, or a function the loop runs for you).
// The methods marked "safe from any goroutine" hand their work to the loop through a
// lock-free queue and wake it up once per batch of calls.
//
// Slices returned by Read, ReadN and the frame passed to React point into the engine's
// buffers: they are valid until the callback that obtained them returns. Copy what you keep.
type Conn interface {
	// Context returns the value stored with SetContext, or nil.
	Context() (ctx any)
	// SetContext stores a user value with the connection, for example per-connection
	// protocol state.
	SetContext(ctx any)

	// LocalAddr is the connection's local socket address.
	LocalAddr() (addr net.Addr)
	// RemoteAddr is the peer's address. For UDP it is the sender of the current datagram.
	RemoteAddr() (addr net.Addr)

	// Read returns every inbound byte that has not been consumed yet, without consuming it.
	// When the buffered bytes wrap around the ring buffer they are copied once into a
	// contiguous slice; otherwise no copy is made. Consume with ShiftN or ResetBuffer.
	Read() (buf []byte)
	// ResetBuffer discards every buffered inbound byte.
	ResetBuffer()
	// ShiftN discards the next n buffered inbound bytes (all of them if fewer are buffered)
	// and returns how many were discarded: n, the number buffered when that is less, and 0
	// when n is 0 or negative.
	ShiftN(n int) (size int)
	// ReadN consumes and returns the next n buffered bytes. When fewer than n bytes are
	// buffered, or n is 0 or negative, it consumes nothing and returns 0 and nil, so a
	// protocol that knows the length of what follows (an HTTP Content-Length, say) can wait
	// for all of it.
	ReadN(n int) (size int, buf []byte)
	// BufferLength returns how many inbound bytes are buffered and not yet consumed.
	BufferLength() (size int)

	// SendTo sends buf as one datagram to the sender of the datagram being handled. It is
	// for UDP connections only; on a stream connection it returns an error. Safe from any
	// goroutine.
	SendTo(buf []byte) error
	// AsyncWrite encodes buf with the server's codec and queues it for sending. Called on
	// the loop, the bytes go straight into the outbound buffer and are flushed once the
	// current batch of events is handled; called from another goroutine, the write is
	// handed to the loop. The engine copies buf before AsyncWrite returns, so the caller
	// may reuse it. Safe from any goroutine.
	AsyncWrite(buf []byte) error
	// Wake makes the loop call React(nil, c) for this connection as soon as it can, so
	// that a handler can produce output in response to something other than inbound data.
	// Safe from any goroutine.
	Wake() error
	// Close flushes pending output and closes the connection; OnClosed follows with a nil
	// error. Closing a connection twice is not an error. Safe from any goroutine.
	Close() error
	// UpgradeTls switches a plaintext connection to TLS in place, as server, with config
	// (the STARTTLS pattern). Bytes that arrive after the call are taken as TLS records.
	UpgradeTls(config *tls.Config) error
	// WriteNoCodec queues buf for sending as it is, bypassing the codec. Like AsyncWrite it
	// copies buf before returning. Safe from any goroutine.
	WriteNoCodec(buf []byte) error
	// FlushWrite writes buf (through the codec unless noCodec is given and true) and blocks
	// until it and everything queued before it has been handed to the kernel, the
	// connection is closed, or the server's write timeout passes — the opposite of
	// AsyncWrite. On a TLS connection whose handshake has not completed, that is once the
	// handshake has completed and the bytes have been encrypted and written. Called on the
	// connection's own loop it writes as far as the socket takes without waiting and leaves
	// the rest queued, because waiting there would stall the loop. It reports no outcome:
	// the engine's connections implement Flusher, whose WriteAndFlush does the same and
	// says how it ended. Safe from any goroutine.
	FlushWrite(buf []byte, noCodec ...bool)
}

// Flusher is implemented by the engine's connections, stream and datagram: it is FlushWrite
// with its outcome, in the manner of Netty's writeAndFlush. Use it through a type assertion:
//
//	err := c.(api.Flusher).WriteAndFlush(reply, false)
type Flusher interface {
	// WriteAndFlush writes buf (through the codec unless noCodec) and, from any goroutine
	// but the connection's loop, blocks until buf and everything queued before it have been
	// handed to the kernel, at most for the server's write timeout. On a TLS connection
	// whose handshake has not completed, the wait includes the handshake: the plaintext is
	// held until then, and counts as handed over once it has been encrypted and written. A
	// datagram is handed over by the send itself.
	//
	// It returns nil once the bytes are with the kernel, and otherwise one of these errors
	// (compare with errors.Is, as they may be wrapped):
	//   - ErrWriteTimeout: the write timeout passed first. The bytes stay queued and the
	//     connection open, until the timeout closes it for making no progress.
	//   - ErrConnClosed: the connection was closed, or closed before the bytes were
	//     written; when it closed during the wait, the error also wraps the reason (a
	//     reset, the write timeout, a failed TLS handshake, a server stop).
	//   - ErrServerShutdown: the server stopped.
	//   - ErrWriteClosed: CloseWrite was called before.
	//   - ErrOutboundLimit: queuing buf would pass the outbound limit, which closes the
	//     connection with that error.
	//   - the codec's error, or a datagram's send error: nothing was sent.
	//
	// Called on the connection's own loop (from a callback), where waiting would stall the
	// loop, it does not wait: it writes what the socket takes at once and returns nil when
	// that was everything queued, or ErrWritePending when some is still queued (the socket
	// is full, or a TLS handshake holds the plaintext). What is queued is written as the
	// socket drains, as after AsyncWrite; ErrWritePending does not mean the write failed.
	// Called from a callback of another connection's loop it waits like any other caller,
	// holding that loop meanwhile: write with AsyncWrite there.
	WriteAndFlush(buf []byte, noCodec bool) error
}

// TLSConn is implemented by the engine's stream connections. ConnectionState returns the
// negotiated TLS parameters (version, cipher suite, ALPN protocol, peer certificates); ok is
// false while the connection does not speak TLS or its handshake has not completed. Call it
// from a callback on the connection's loop.
type TLSConn interface {
	ConnectionState() (state tls.ConnectionState, ok bool)
}

// FlowControl is implemented by the engine's stream connections, for handlers that relay bytes
// between connections (a proxy): when the receiving side cannot keep up, stop reading from the
// sending side until it can.
type FlowControl interface {
	// OutboundLength returns how many bytes are queued for sending and not yet handed to the
	// kernel. Call it on the connection's loop.
	OutboundLength() int
	// PauseRead stops the loop from reading this connection until ResumeRead; bytes already
	// buffered stay buffered. Safe from any goroutine.
	PauseRead() error
	// ResumeRead undoes PauseRead. Safe from any goroutine.
	ResumeRead() error
}

// WritabilityHandler may be implemented by an EventHandler to learn when a connection's
// pending output rises above the server's high write watermark (writable false: stop feeding
// it) and when it drains below the low watermark again (writable true). It is called on the
// connection's loop, after the callback that caused the change has returned.
type WritabilityHandler interface {
	OnWritabilityChanged(c Conn, writable bool)
}

// HalfCloser is implemented by the engine's stream connections, for handlers that end their
// side of a conversation while still listening to the other (a proxy that saw one side finish,
// a client that has sent its whole request).
type HalfCloser interface {
	// CloseWrite shuts the connection down for writing: the output queued before it is sent,
	// then the peer reads end of file, while reading from the peer carries on. On a TLS
	// connection a close_notify alert precedes the end of file. Writes made once it has
	// returned fail with the engine's write-closed error; calling it again does nothing. The
	// connection stays open until one side closes it, and OnClosed fires as usual. Safe from
	// any goroutine.
	CloseWrite() error
}

// ReadClosedHandler may be implemented by an EventHandler of a server or client started with
// the half-close option, to keep a connection open once the peer has finished sending (it shut
// down its writing side, or sent a TLS close_notify). OnReadClosed is then called once, on the
// connection's loop, after React has seen every whole frame the peer sent; the bytes of an
// unfinished frame, if any, are still buffered and can be read with Read. The connection stays
// open for writing until the handler closes it (by returning Close or calling Close) or the
// peer resets it. Without the option, or when the handler does not implement this interface,
// the peer's end of stream closes the connection once pending output is written.
type ReadClosedHandler interface {
	OnReadClosed(c Conn) (action Action)
}

// AsyncCallback is called on the connection's loop once an asynchronous write has been handed
// to the kernel, with a nil err, or with the error that kept it from being: the connection
// closed (ErrConnClosed, wrapping why), the write timeout, the outbound limit. Like a
// callback, it may write to c and close it; a non-nil error it returns closes c with that
// error.
type AsyncCallback func(c Conn, err error) error

// CallbackWriter is implemented by the engine's connections: AsyncWriteCallback is AsyncWrite
// (or WriteNoCodec, with noCodec) that calls callback once the bytes have been handed to the
// kernel, or with the error that prevented it. It is safe from any goroutine and never blocks;
// callback runs on the connection's loop, exactly once, unless AsyncWriteCallback returns an
// error, when it does not run at all.
type CallbackWriter interface {
	AsyncWriteCallback(buf []byte, noCodec bool, callback AsyncCallback) error
}
