package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"time"
)

// runHandshakes runs the handshake load: cfg.conns goroutines each connect, complete a full
// TLS handshake and close, over and over, through the warm-up and the measured window. It
// returns an error only when a signal ends the warm-up; faults are counted in the report.
func runHandshakes(ctx context.Context, cfg config, progress io.Writer) (handshakeReport, error) {
	cyclers, win, err := runCycles(ctx, cfg, progress, func(int) cycleFunc {
		dialer := &net.Dialer{Timeout: dialTimeout}
		return func(ctx context.Context) (time.Duration, error) { return handshakeOnce(ctx, dialer, cfg) }
	})
	if err != nil {
		return handshakeReport{}, err
	}
	return summarizeHandshakes(cfg, cyclers, win), nil
}

// handshakeOnce connects, completes a full handshake and returns how long those two took.
// It then closes the way a well-behaved client does: it sends close_notify and waits for
// the server's own close, so that both servers under comparison do their whole share of
// work for every connection, and a server that resets the connection or never closes it is
// caught as an error. (crypto/tls reads a close at a record boundary as io.EOF whether or
// not a close_notify came first, so a server that merely omits it passes.)
func handshakeOnce(ctx context.Context, dialer *net.Dialer, cfg config) (time.Duration, error) {
	start := time.Now()
	conn, release, err := dialForCycle(ctx, dialer, cfg)
	if err != nil {
		return 0, err
	}
	defer func() {
		release()
		// Every outcome that matters has been taken from the connection by now.
		_ = conn.Close()
	}()

	tc := tls.Client(conn, cfg.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrHandshakeFailed, err)
	}
	elapsed := time.Since(start)
	if err := tc.CloseWrite(); err != nil {
		return 0, fmt.Errorf("%w: sending close_notify: %w", ErrUncleanClose, err)
	}
	// Post-handshake messages (TLS 1.3 session tickets) are read and dropped on the way to
	// the server's close_notify, which crypto/tls reports as io.EOF and io.Copy as nil.
	if _, err := io.Copy(io.Discard, tc); err != nil {
		return 0, fmt.Errorf("%w: waiting for the server's close_notify: %w", ErrUncleanClose, err)
	}
	return elapsed, nil
}
