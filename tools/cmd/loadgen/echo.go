package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Lines written to the progress writer (stderr) at the edges of the measured window, so a
// script can sample the server's CPU time exactly over the window.
const (
	markerMeasuring = "loadgen: warm-up done, measuring"
	markerMeasured  = "loadgen: measurement done"
)

// longAgo is a deadline in the past: setting it wakes every blocked read and write at once.
var longAgo = time.Unix(1, 0)

// runEcho connects, runs the warm-up and the measured window, and summarises the window.
// It returns an error only when the run could not take place (dial failure, or a signal
// during warm-up); echo faults are counted in the report.
func runEcho(ctx context.Context, cfg config, progress io.Writer) (report, error) {
	conns, err := dialAll(ctx, cfg, cfg.conns)
	if err != nil {
		return report{}, err
	}
	defer closeAll(conns)

	var phase atomic.Int32
	var wg sync.WaitGroup
	workers := make([]*worker, len(conns))
	for i, conn := range conns {
		w := &worker{conn: conn, batch: newBatch(cfg.frame, cfg.size, cfg.inflight, i)}
		workers[i] = w
		wg.Go(func() { w.run(&phase) })
	}
	stopWorkers := func() {
		phase.Store(phaseStopped)
		for _, conn := range conns {
			// A connection whose deadline cannot be set is already broken; its worker has
			// returned or is about to with the I/O error.
			_ = conn.SetDeadline(longAgo)
		}
		wg.Wait()
	}

	if !sleepUnlessDone(ctx, cfg.warmup) {
		stopWorkers()
		return report{}, ErrInterrupted
	}
	phase.Store(phaseMeasuring)
	started := time.Now()
	cpuBefore, err := processCPUTime()
	if err != nil {
		stopWorkers()
		return report{}, err
	}
	announce(progress, markerMeasuring)
	interrupted := !sleepUnlessDone(ctx, cfg.duration)
	phase.Store(phaseStopped)
	window := time.Since(started)
	cpuAfter, err := processCPUTime()
	announce(progress, markerMeasured)
	stopWorkers()
	if err != nil {
		return report{}, err
	}

	r := summarize(cfg, workers, window, interrupted)
	r.CPUSeconds = (cpuAfter - cpuBefore).Seconds()
	return r, nil
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
