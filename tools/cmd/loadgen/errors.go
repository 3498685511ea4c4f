package main

import "errors"

// Sentinel errors of the load generator. Callers test for them with errors.Is; the
// messages carry the "gnet:" prefix every module of the project uses.
var (
	// ErrBadAddress reports an -addr value that is neither host:port nor one of the
	// tcp://, tcp4://, tcp6://, udp://, udp4://, udp6:// or unix:// schemes.
	ErrBadAddress = errors.New("gnet: bad address")
	// ErrBadFlag reports a flag value outside its allowed range.
	ErrBadFlag = errors.New("gnet: bad flag value")
	// ErrDialFailed reports a connection that could not be established after every retry.
	ErrDialFailed = errors.New("gnet: dial failed")
	// ErrHandshakeFailed reports a TLS handshake that did not complete.
	ErrHandshakeFailed = errors.New("gnet: TLS handshake failed")
	// ErrUncleanClose reports a TLS connection that failed, or was not closed by the
	// server, after the client sent its close_notify.
	ErrUncleanClose = errors.New("gnet: TLS connection did not close cleanly")
	// ErrEchoMismatch reports an echo that differs from the bytes that were sent.
	ErrEchoMismatch = errors.New("gnet: echo differs from what was sent")
	// ErrDuplicateEcho reports a datagram answered twice: the reply to a sequence number
	// that was already answered, or already answered late.
	ErrDuplicateEcho = errors.New("gnet: datagram answered twice")
	// ErrNoProgress reports a connection that completed no round trip during the whole
	// measured window, which means the server stopped answering it.
	ErrNoProgress = errors.New("gnet: connection made no progress")
	// ErrInterrupted reports a run stopped by a signal before the measured window began.
	ErrInterrupted = errors.New("gnet: interrupted before measuring")
)
