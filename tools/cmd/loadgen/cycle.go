package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// cycleFunc runs one cycle of a connection-cycling load (a TLS handshake, a churned
// connection) and returns the latency to record for it. It returns soon after ctx ends.
type cycleFunc func(ctx context.Context) (time.Duration, error)

// runCycles runs a connection-cycling load: cfg.conns goroutines, goroutine i repeating the
// cycle newCycle(i) returns, through the warm-up and the measured window. It returns an
// error only when a signal ends the warm-up; faults are kept by each cycler.
func runCycles(ctx context.Context, cfg config, progress io.Writer, newCycle func(i int) cycleFunc) ([]*cycler, window, error) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	var phase atomic.Int32
	var wg sync.WaitGroup
	cyclers := make([]*cycler, cfg.conns)
	for i := range cyclers {
		c := &cycler{}
		cyclers[i] = c
		cycle := newCycle(i)
		wg.Go(func() { c.run(runCtx, &phase, cycle) })
	}
	stopCyclers := func() {
		phase.Store(phaseStopped)
		cancel()
		wg.Wait()
	}

	win, err := runWindow(ctx, cfg, &phase, progress, stopCyclers)
	return cyclers, win, err
}

// cycler drives one goroutine of a cycling load. Its fields are written only by its own
// goroutine and read by the coordinator after that goroutine has returned.
type cycler struct {
	latency histogram
	cycles  uint64
	err     error
}

// run repeats cycle until the phase becomes phaseStopped (ctx ends at the same moment and
// cuts short the cycle in flight) or a cycle fails.
func (c *cycler) run(ctx context.Context, phase *atomic.Int32, cycle cycleFunc) {
	for {
		elapsed, err := cycle(ctx)
		if err != nil {
			if phase.Load() != phaseStopped {
				c.err = err
			}
			return
		}
		switch phase.Load() {
		case phaseMeasuring:
			c.latency.record(elapsed)
			c.cycles++
		case phaseStopped:
			return
		}
	}
}

// tallyCycles merges the cyclers' counts, once every cycler has returned, and returns the
// cycles of the window with its figures.
func tallyCycles(cyclers []*cycler, win window) (uint64, windowStats) {
	var tally windowTally
	var cycles uint64
	for i, c := range cyclers {
		tally.add(fmt.Sprintf("goroutine %d", i+1), &c.latency, c.cycles, c.err, win.interrupted)
		cycles += c.cycles
	}
	return cycles, tally.stats(win)
}

// dialForCycle connects for one cycle. Every read and write of the connection fails once
// dialTimeout has passed, or as soon as ctx ends; the caller calls release, then closes the
// connection.
func dialForCycle(ctx context.Context, dialer *net.Dialer, cfg config) (conn net.Conn, release func() bool, err error) {
	conn, err = dialer.DialContext(ctx, cfg.network, cfg.address)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrDialFailed, err)
	}
	if err := conn.SetDeadline(time.Now().Add(dialTimeout)); err != nil {
		// The deadline's failure is the one to report; the connection is of no use.
		_ = conn.Close()
		return nil, nil, err
	}
	release = context.AfterFunc(ctx, func() {
		// Wakes whatever the connection is blocked in; a failure means it is closed already.
		_ = conn.SetDeadline(longAgo)
	})
	return conn, release, nil
}
