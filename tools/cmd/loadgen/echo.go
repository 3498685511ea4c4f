package main

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"
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

	win, err := runWindow(ctx, cfg, &phase, progress, stopWorkers)
	if err != nil {
		return report{}, err
	}
	return summarize(cfg, workers, win), nil
}
