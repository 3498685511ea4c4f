package server

import (
	"errors"

	"github.com/gnetio/gnet/api"
)

// The errors a connection's life can end with are api's (api.ErrConnClosed, ...), so that a
// handler compares against the contract it implements. They are named here too, as the same
// values, for code that reads them from this package.
var (
	ErrServerShutdown      = api.ErrServerShutdown
	ErrConnClosed          = api.ErrConnClosed
	ErrWriteClosed         = api.ErrWriteClosed
	ErrOutboundLimit       = api.ErrOutboundLimit
	ErrWriteTimeout        = api.ErrWriteTimeout
	ErrWritePending        = api.ErrWritePending
	ErrIdleTimeout         = api.ErrIdleTimeout
	ErrDrainTimeout        = api.ErrDrainTimeout
	ErrHandlerPanic        = api.ErrHandlerPanic
	ErrCodecNoProgress     = api.ErrCodecNoProgress
	ErrTLSHandshakeTimeout = api.ErrTLSHandshakeTimeout
	ErrTLSActive           = api.ErrTLSActive
	ErrNotDatagram         = api.ErrNotDatagram
	ErrNotStream           = api.ErrNotStream

	ErrProxyHeaderMissing   = api.ErrProxyHeaderMissing
	ErrProxyHeaderMalformed = api.ErrProxyHeaderMalformed
	ErrProxyHeaderTooLong   = api.ErrProxyHeaderTooLong
	ErrProxyHeaderTruncated = api.ErrProxyHeaderTruncated
	ErrProxyHeaderTimeout   = api.ErrProxyHeaderTimeout
)

// Errors of Serve and its options.
var (
	// ErrInvalidAddress is returned by Serve for an address it cannot parse or resolve.
	ErrInvalidAddress = errors.New("gnet: invalid address")
	// ErrUnsupportedNetwork is returned by Serve for an address whose scheme is not one of
	// tcp, tcp4, tcp6, udp, udp4, udp6 or unix.
	ErrUnsupportedNetwork = errors.New("gnet: unsupported network scheme")
	// ErrInvalidOption is returned by Serve for an option value outside its range.
	ErrInvalidOption = errors.New("gnet: invalid option")
)
