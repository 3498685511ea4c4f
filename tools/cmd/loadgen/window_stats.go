package main

import (
	"fmt"
	"time"
)

// windowStats are the figures every kind of run reports about its measured window, embedded
// in each report so that they appear at its top level in JSON. Latencies are in
// microseconds; CPUSeconds is the load generator's own user + system time over the window.
type windowStats struct {
	Seconds    float64 `json:"seconds"`
	P50Micros  float64 `json:"p50_us"`
	P99Micros  float64 `json:"p99_us"`
	MaxMicros  float64 `json:"max_us"`
	CPUSeconds float64 `json:"loadgen_cpu_seconds"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`

	connErrors []error
}

// errorCount is the number of connections (or goroutines) that failed.
func (s windowStats) errorCount() int { return s.Errors }

// busyPercent is the load generator's CPU time over the window as a share of one core.
func (s windowStats) busyPercent() float64 {
	if s.Seconds == 0 {
		return 0
	}
	return s.CPUSeconds / s.Seconds * 100
}

// windowTally merges what the workers of a run recorded, once every worker has returned.
type windowTally struct {
	latency histogram
	errs    []error
}

// add merges one worker's latencies and its error. A worker that counted nothing in a
// window that ran its full length failed too: the server stopped answering it. who names
// the worker in the error ("connection 3").
func (t *windowTally) add(who string, latency *histogram, counted uint64, err error, interrupted bool) {
	t.latency.merge(latency)
	if err == nil && counted == 0 && !interrupted {
		err = ErrNoProgress
	}
	if err != nil {
		t.errs = append(t.errs, fmt.Errorf("%s: %w", who, err))
	}
}

// stats summarises the merged workers over a window of the given length and CPU time.
func (t *windowTally) stats(win window) windowStats {
	s := windowStats{
		Seconds:    win.elapsed.Seconds(),
		P50Micros:  micros(t.latency.quantile(0.50)),
		P99Micros:  micros(t.latency.quantile(0.99)),
		MaxMicros:  micros(time.Duration(t.latency.max)),
		CPUSeconds: win.cpu.Seconds(),
		Errors:     len(t.errs),
		connErrors: t.errs,
	}
	if s.Errors > 0 {
		s.FirstError = t.errs[0].Error()
	}
	return s
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
