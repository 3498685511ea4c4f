package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"time"
)

const (
	dialAttempts = 5
	// dialBackoff doubles after each failed attempt: a server that is still starting, or a
	// listen backlog that overflowed while thousands of idle connections arrive, usually
	// recovers within the few hundred milliseconds the retries span.
	dialBackoff = 20 * time.Millisecond
	dialTimeout = 5 * time.Second
	// dialParallelism bounds concurrent dials so that opening ten thousand idle connections
	// does not overflow the server's listen backlog all at once.
	dialParallelism = 32
)

// dialWithRetry connects to the server, retrying a few times with a growing pause, and
// completes the TLS handshake when cfg asks for TLS. A failed handshake is not retried: it
// is a fault of the server or its certificate, not of a crowded listen backlog.
func dialWithRetry(ctx context.Context, cfg config) (net.Conn, error) {
	dialer := net.Dialer{Timeout: dialTimeout}
	pause := dialBackoff
	var lastErr error
	for attempt := range dialAttempts {
		conn, err := dialer.DialContext(ctx, cfg.network, cfg.address)
		if err == nil {
			if cfg.tls == nil {
				return conn, nil
			}
			return handshake(ctx, conn, cfg.tls)
		}
		lastErr = err
		if attempt == dialAttempts-1 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %w", ErrDialFailed, ctx.Err())
		case <-time.After(pause):
		}
		pause *= 2
	}
	return nil, fmt.Errorf("%w after %d attempts: %w", ErrDialFailed, dialAttempts, lastErr)
}

// handshake runs the client side of a TLS handshake over conn within dialTimeout. On
// failure it closes conn.
func handshake(ctx context.Context, conn net.Conn, tlsConfig *tls.Config) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	tc := tls.Client(conn, tlsConfig)
	if err := tc.HandshakeContext(ctx); err != nil {
		// The handshake error is the one to report; the connection is of no further use.
		_ = conn.Close()
		return nil, fmt.Errorf("%w: %w", ErrHandshakeFailed, err)
	}
	return tc, nil
}

// dialAll opens n connections to cfg's server, a bounded number at a time. On any failure
// it closes the connections it opened and returns the first error.
func dialAll(ctx context.Context, cfg config, n int) ([]net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	conns := make([]net.Conn, n)
	var firstFailure sync.Once
	var firstErr error
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, dialParallelism) {
		wg.Go(func() {
			for i := range next {
				conn, err := dialWithRetry(ctx, cfg)
				if err != nil {
					// Only the first failure is the cause; later ones are the cancellation
					// that stops the other dialers early.
					firstFailure.Do(func() {
						firstErr = fmt.Errorf("connection %d of %d: %w", i+1, n, err)
						cancel()
					})
					continue
				}
				conns[i] = conn
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()

	if firstErr != nil {
		closeAll(conns)
		return nil, firstErr
	}
	return conns, nil
}

// closeAll closes every connection that is not nil.
func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			// The connection is being discarded; a close error leaves nothing to undo.
			_ = c.Close()
		}
	}
}
