package api

import "errors"

// The errors a connection's life can end with, and that writes return: what a handler compares
// against with errors.Is, whatever engine serves it. OnClosed receives them, wrapped with
// detail where there is some.
var (
	// ErrServerShutdown is passed to OnClosed for connections closed because the server
	// stopped, and returned by writes to a server that has stopped.
	ErrServerShutdown = errors.New("gnet: server is shutting down")
	// ErrConnClosed is returned by writes to a connection that has been closed, and by
	// Flusher.WriteAndFlush when the connection closed before its bytes were written.
	ErrConnClosed = errors.New("gnet: connection is closed")
	// ErrWriteClosed is returned by writes to a connection shut down for writing with
	// CloseWrite.
	ErrWriteClosed = errors.New("gnet: connection is closed for writing")
	// ErrOutboundLimit is passed to OnClosed for a connection whose pending output passed the
	// outbound limit (a peer that does not read what is sent to it).
	ErrOutboundLimit = errors.New("gnet: outbound buffer limit exceeded")
	// ErrWriteTimeout is passed to OnClosed for a connection whose pending output made no
	// progress for the write timeout, and returned by Flusher.WriteAndFlush when its bytes
	// were not handed to the kernel within the write timeout.
	ErrWriteTimeout = errors.New("gnet: write timed out")
	// ErrWritePending is returned by Flusher.WriteAndFlush called on the connection's own
	// loop when the socket did not take everything queued at once, or a TLS handshake holds
	// it: the rest stays queued and is written as the socket drains. The write has not
	// failed.
	ErrWritePending = errors.New("gnet: write queued, not all of it handed to the kernel yet")
	// ErrIdleTimeout is passed to OnClosed for a connection that sent nothing for the idle
	// timeout.
	ErrIdleTimeout = errors.New("gnet: connection idle for too long")
	// ErrDrainTimeout is passed to OnClosed for a connection still open when a graceful
	// stop's drain deadline passed.
	ErrDrainTimeout = errors.New("gnet: connection still open at the drain deadline")
	// ErrHandlerPanic is passed to OnClosed for a connection whose callback panicked.
	ErrHandlerPanic = errors.New("gnet: event handler panicked")
	// ErrCodecNoProgress is passed to OnClosed when the codec returned a frame without
	// consuming any input, which would otherwise repeat forever.
	ErrCodecNoProgress = errors.New("gnet: codec returned a frame without consuming input")
	// ErrTLSHandshakeTimeout is passed to OnClosed for a connection whose TLS handshake did
	// not complete within the handshake timeout.
	ErrTLSHandshakeTimeout = errors.New("gnet: tls handshake timed out")
	// ErrTLSActive is returned by UpgradeTls on a connection that already speaks TLS.
	ErrTLSActive = errors.New("gnet: connection already speaks TLS")
	// ErrNotDatagram is returned by SendTo on a stream connection.
	ErrNotDatagram = errors.New("gnet: SendTo is only for UDP connections")
	// ErrNotStream is returned by stream-only methods called on a UDP connection.
	ErrNotStream = errors.New("gnet: not a stream connection")
)

// The reasons a connection is refused for its PROXY protocol header, passed to
// ProxyHeaderHandler.OnProxyHeaderFailed. Each comes wrapped with the detail (the parser's
// own error, where it has one, is wrapped too).
var (
	// ErrProxyHeaderMissing: the server requires a header and the connection's first bytes
	// do not begin one: the peer is not the proxy, or the proxy does not send headers.
	ErrProxyHeaderMissing = errors.New("gnet: PROXY protocol header missing")
	// ErrProxyHeaderMalformed: the header begins with a signature but breaks the
	// specification (a bad field, an unknown version, command or family, a TLV that runs
	// past the header, a checksum that does not match).
	ErrProxyHeaderMalformed = errors.New("gnet: malformed PROXY protocol header")
	// ErrProxyHeaderTooLong: a version 1 line with no CRLF within 107 bytes, or a version 2
	// header that announces more than the server accepts.
	ErrProxyHeaderTooLong = errors.New("gnet: PROXY protocol header too long")
	// ErrProxyHeaderTruncated: the peer ended the connection, or reset it, before the header
	// was complete.
	ErrProxyHeaderTruncated = errors.New("gnet: connection ended inside its PROXY protocol header")
	// ErrProxyHeaderTimeout: the header was not complete within the server's header
	// timeout after the connection was accepted.
	ErrProxyHeaderTimeout = errors.New("gnet: PROXY protocol header not received in time")
)
