package server

import "errors"

var (
	// ErrServerShutdown is passed to OnClosed for connections closed because the server stopped,
	// and returned by writes to a server that has stopped.
	ErrServerShutdown = errors.New("gnet: server is shutting down")
	// ErrConnClosed is returned by writes to a connection that has been closed.
	ErrConnClosed = errors.New("gnet: connection is closed")
	// ErrInvalidAddress is returned by Serve for an address it cannot parse or resolve.
	ErrInvalidAddress = errors.New("gnet: invalid address")
	// ErrUnsupportedNetwork is returned by Serve for an address whose scheme is not one of
	// tcp, tcp4, tcp6, udp, udp4, udp6 or unix.
	ErrUnsupportedNetwork = errors.New("gnet: unsupported network scheme")
	// ErrOutboundLimit is passed to OnClosed for a connection whose pending output passed the
	// outbound limit (a peer that does not read what is sent to it).
	ErrOutboundLimit = errors.New("gnet: outbound buffer limit exceeded")
	// ErrWriteTimeout is passed to OnClosed for a connection whose pending output made no
	// progress for the write timeout.
	ErrWriteTimeout = errors.New("gnet: write timed out")
	// ErrWriteClosed is returned by writes to a connection shut down for writing with
	// CloseWrite.
	ErrWriteClosed = errors.New("gnet: connection is closed for writing")
	// ErrNotDatagram is returned by SendTo on a stream connection.
	ErrNotDatagram = errors.New("gnet: SendTo is only for UDP connections")
	// ErrNotStream is returned by stream-only methods called on a UDP connection.
	ErrNotStream = errors.New("gnet: not a stream connection")
	// ErrTLSHandshakeTimeout is passed to OnClosed for a connection whose TLS handshake did not
	// complete within the handshake timeout.
	ErrTLSHandshakeTimeout = errors.New("gnet: tls handshake timed out")
	// ErrTLSActive is returned by UpgradeTls on a connection that already speaks TLS.
	ErrTLSActive = errors.New("gnet: connection already speaks TLS")
	// ErrHandlerPanic is passed to OnClosed for a connection whose callback panicked. The
	// panic and its stack are logged.
	ErrHandlerPanic = errors.New("gnet: event handler panicked")
	// ErrCodecNoProgress is passed to OnClosed when the codec returned a frame without
	// consuming any input, which would otherwise repeat forever.
	ErrCodecNoProgress = errors.New("gnet: codec returned a frame without consuming input")
	// ErrIdleTimeout is passed to OnClosed for a connection that sent nothing for the idle
	// timeout.
	ErrIdleTimeout = errors.New("gnet: connection idle for too long")
	// ErrDrainTimeout is passed to OnClosed for a connection still open when a graceful stop's
	// drain deadline passed.
	ErrDrainTimeout = errors.New("gnet: connection still open at the drain deadline")
	// ErrInvalidOption is returned by Serve for an option value outside its range.
	ErrInvalidOption = errors.New("gnet: invalid option")
)
