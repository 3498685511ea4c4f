package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// runHandshakes runs the handshake load: cfg.conns goroutines each connect, complete a full
// TLS handshake and close, over and over, through the warm-up and the measured window. It
// returns an error only when a signal ends the warm-up; faults are counted in the report.
func runHandshakes(ctx context.Context, cfg config, progress io.Writer) (handshakeReport, error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	var phase atomic.Int32
	var wg sync.WaitGroup
	workers := make([]*handshaker, cfg.conns)
	for i := range workers {
		w := &handshaker{}
		workers[i] = w
		wg.Go(func() { w.run(runCtx, cfg, &phase) })
	}
	stopWorkers := func() {
		phase.Store(phaseStopped)
		cancel()
		wg.Wait()
	}

	win, err := runWindow(ctx, cfg, &phase, progress, stopWorkers)
	if err != nil {
		return handshakeReport{}, err
	}
	return summarizeHandshakes(cfg, workers, win), nil
}

// handshaker drives one goroutine of the handshake load. Its fields are written only by its
// own goroutine and read by the coordinator after that goroutine has returned.
type handshaker struct {
	latency    histogram
	handshakes uint64
	err        error
}

// run repeats connect, handshake, close until the phase becomes phaseStopped (ctx ends at
// the same moment and cuts short the attempt in flight) or an attempt fails.
func (h *handshaker) run(ctx context.Context, cfg config, phase *atomic.Int32) {
	dialer := net.Dialer{Timeout: dialTimeout}
	for {
		elapsed, err := handshakeOnce(ctx, &dialer, cfg)
		if err != nil {
			if phase.Load() != phaseStopped {
				h.err = err
			}
			return
		}
		switch phase.Load() {
		case phaseMeasuring:
			h.latency.record(elapsed)
			h.handshakes++
		case phaseStopped:
			return
		}
	}
}

// handshakeOnce connects, completes a full handshake and returns how long those two took.
// It then closes the way a well-behaved client does: it sends close_notify and waits for
// the server's own close, so that both servers under comparison do their whole share of
// work for every connection, and a server that resets the connection or never closes it is
// caught as an error. (crypto/tls reads a close at a record boundary as io.EOF whether or
// not a close_notify came first, so a server that merely omits it passes.)
func handshakeOnce(ctx context.Context, dialer *net.Dialer, cfg config) (time.Duration, error) {
	start := time.Now()
	conn, err := dialer.DialContext(ctx, cfg.network, cfg.address)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrDialFailed, err)
	}
	defer func() {
		// Every outcome that matters has been taken from the connection by now.
		_ = conn.Close()
	}()
	if err := conn.SetDeadline(time.Now().Add(dialTimeout)); err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() {
		// Wakes whatever the connection is blocked in; a failure means it is closed already.
		_ = conn.SetDeadline(longAgo)
	})
	defer stop()

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
