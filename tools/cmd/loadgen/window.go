package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Lines written to the progress writer (stderr) at the edges of the measured window, so a
// script can sample the server's CPU time exactly over the window.
const (
	markerMeasuring = "loadgen: warm-up done, measuring"
	markerMeasured  = "loadgen: measurement done"
)

// window is what the coordinator learns of a measured window: how long it lasted, the load
// generator's own CPU time over it, and whether a signal cut it short.
type window struct {
	elapsed     time.Duration
	cpu         time.Duration
	interrupted bool
}

// runWindow drives workers that are already running through the warm-up and the measured
// window: it moves phase from warm-up to measuring to stopped, announces the window's edges
// on progress, and calls stopWorkers, which must return only once every worker has, before
// it returns, whatever the outcome. It returns an error only when the window could not be
// measured: a signal during warm-up (ErrInterrupted) or no CPU time to read.
func runWindow(ctx context.Context, cfg config, phase *atomic.Int32, progress io.Writer, stopWorkers func()) (window, error) {
	if !sleepUnlessDone(ctx, cfg.warmup) {
		stopWorkers()
		return window{}, ErrInterrupted
	}
	phase.Store(phaseMeasuring)
	started := time.Now()
	cpuBefore, err := processCPUTime()
	if err != nil {
		stopWorkers()
		return window{}, err
	}
	announce(progress, markerMeasuring)
	interrupted := !sleepUnlessDone(ctx, cfg.duration)
	phase.Store(phaseStopped)
	elapsed := time.Since(started)
	cpuAfter, err := processCPUTime()
	announce(progress, markerMeasured)
	stopWorkers()
	if err != nil {
		return window{}, err
	}
	return window{elapsed: elapsed, cpu: cpuAfter - cpuBefore, interrupted: interrupted}, nil
}

// sleepUnlessDone waits for d and reports whether it did so without ctx ending first.
func sleepUnlessDone(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// announce writes a progress line.
func announce(progress io.Writer, line string) {
	// Progress lines are advisory: a closed stderr must not fail a measurement.
	_, _ = fmt.Fprintln(progress, line)
}
