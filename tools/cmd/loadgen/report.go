package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// report is the outcome of an echo run's measured window. Latencies are per round trip of
// a whole batch (inflight messages), in microseconds; MB/s counts payload bytes echoed,
// one direction, with 1 MB = 10^6 bytes; CPUSeconds is the load generator's own user +
// system time over the window.
type report struct {
	Network    string  `json:"network"`
	Address    string  `json:"address"`
	Conns      int     `json:"conns"`
	Size       int     `json:"size"`
	Inflight   int     `json:"inflight"`
	Frame      string  `json:"frame"`
	Seconds    float64 `json:"seconds"`
	Messages   uint64  `json:"messages"`
	RoundTrips uint64  `json:"round_trips"`
	MsgsPerSec float64 `json:"msgs_per_sec"`
	MBPerSec   float64 `json:"mb_per_sec"`
	P50Micros  float64 `json:"p50_us"`
	P99Micros  float64 `json:"p99_us"`
	MaxMicros  float64 `json:"max_us"`
	CPUSeconds float64 `json:"loadgen_cpu_seconds"`
	Errors     int     `json:"errors"`
	FirstError string  `json:"first_error,omitempty"`

	connErrors []error
}

// summarize merges the workers' counts, once every worker has returned.
func summarize(cfg config, workers []*worker, window time.Duration, interrupted bool) report {
	r := report{
		Network: cfg.network, Address: cfg.address,
		Conns: cfg.conns, Size: cfg.size, Inflight: cfg.inflight, Frame: cfg.frame.String(),
		Seconds: window.Seconds(),
	}
	var latency histogram
	for i, w := range workers {
		latency.merge(&w.latency)
		r.Messages += w.messages
		r.RoundTrips += w.roundTrips
		err := w.err
		if err == nil && w.roundTrips == 0 && !interrupted {
			err = ErrNoProgress
		}
		if err != nil {
			r.connErrors = append(r.connErrors, fmt.Errorf("connection %d: %w", i+1, err))
		}
	}
	r.Errors = len(r.connErrors)
	if r.Errors > 0 {
		r.FirstError = r.connErrors[0].Error()
	}
	if r.Seconds > 0 {
		r.MsgsPerSec = float64(r.Messages) / r.Seconds
		r.MBPerSec = r.MsgsPerSec * float64(cfg.size) / 1e6
	}
	r.P50Micros = micros(latency.quantile(0.50))
	r.P99Micros = micros(latency.quantile(0.99))
	r.MaxMicros = micros(time.Duration(latency.max))
	return r
}

// busyPercent is the load generator's CPU time over the window as a share of one core.
func (r report) busyPercent() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return r.CPUSeconds / r.Seconds * 100
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// outcome is the report of a finished run, of either kind.
type outcome interface {
	// write prints the report, as one JSON object when asJSON, and lists errors on errOut.
	write(out, errOut io.Writer, asJSON bool) error
	// errorCount is the number of connections (or goroutines) that failed.
	errorCount() int
}

func (r report) errorCount() int { return r.Errors }

// maxListedErrors bounds the per-connection error lines, so a server that fails every one
// of ten thousand connections does not flood the terminal.
const maxListedErrors = 10

// write prints the report: one JSON object, or two human-readable lines. Per-connection
// errors are listed on errOut.
func (r report) write(out, errOut io.Writer, asJSON bool) error {
	if err := listErrors(errOut, r.connErrors); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	_, err := fmt.Fprintf(out,
		"%s %s  conns %d  size %d  inflight %d  frame %s  window %.2fs\n"+
			"msgs/s %.0f  MB/s %.2f  latency p50 %.1fµs p99 %.1fµs max %.1fµs  loadgen CPU %.0f%%  errors %d\n",
		r.Network, r.Address, r.Conns, r.Size, r.Inflight, r.Frame, r.Seconds,
		r.MsgsPerSec, r.MBPerSec, r.P50Micros, r.P99Micros, r.MaxMicros, r.busyPercent(), r.Errors)
	return err
}

// listErrors writes the first maxListedErrors of errs, one a line, and how many more there
// were.
func listErrors(errOut io.Writer, errs []error) error {
	for i, err := range errs {
		if i == maxListedErrors {
			_, werr := fmt.Fprintf(errOut, "loadgen: ... and %d more\n", len(errs)-i)
			return werr
		}
		if _, werr := fmt.Fprintf(errOut, "loadgen: %v\n", err); werr != nil {
			return werr
		}
	}
	return nil
}
