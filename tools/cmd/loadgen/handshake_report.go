package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// handshakeReport is the outcome of a handshake run's measured window. Latencies are per
// connect plus handshake, in microseconds; CPUSeconds is the load generator's own user +
// system time over the window.
type handshakeReport struct {
	Network          string  `json:"network"`
	Address          string  `json:"address"`
	Conns            int     `json:"conns"`
	Seconds          float64 `json:"seconds"`
	Handshakes       uint64  `json:"handshakes"`
	HandshakesPerSec float64 `json:"handshakes_per_sec"`
	P50Micros        float64 `json:"p50_us"`
	P99Micros        float64 `json:"p99_us"`
	MaxMicros        float64 `json:"max_us"`
	CPUSeconds       float64 `json:"loadgen_cpu_seconds"`
	Errors           int     `json:"errors"`
	FirstError       string  `json:"first_error,omitempty"`

	connErrors []error
}

// summarizeHandshakes merges the workers' counts, once every worker has returned.
func summarizeHandshakes(cfg config, workers []*handshaker, window time.Duration, interrupted bool) handshakeReport {
	r := handshakeReport{
		Network: cfg.network, Address: cfg.address, Conns: cfg.conns,
		Seconds: window.Seconds(),
	}
	var latency histogram
	for i, w := range workers {
		latency.merge(&w.latency)
		r.Handshakes += w.handshakes
		err := w.err
		if err == nil && w.handshakes == 0 && !interrupted {
			err = ErrNoProgress
		}
		if err != nil {
			r.connErrors = append(r.connErrors, fmt.Errorf("goroutine %d: %w", i+1, err))
		}
	}
	r.Errors = len(r.connErrors)
	if r.Errors > 0 {
		r.FirstError = r.connErrors[0].Error()
	}
	if r.Seconds > 0 {
		r.HandshakesPerSec = float64(r.Handshakes) / r.Seconds
	}
	r.P50Micros = micros(latency.quantile(0.50))
	r.P99Micros = micros(latency.quantile(0.99))
	r.MaxMicros = micros(time.Duration(latency.max))
	return r
}

func (r handshakeReport) errorCount() int { return r.Errors }

// busyPercent is the load generator's CPU time over the window as a share of one core.
func (r handshakeReport) busyPercent() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return r.CPUSeconds / r.Seconds * 100
}

// write prints the report: one JSON object, or two human-readable lines. Per-goroutine
// errors are listed on errOut.
func (r handshakeReport) write(out, errOut io.Writer, asJSON bool) error {
	if err := listErrors(errOut, r.connErrors); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	_, err := fmt.Fprintf(out,
		"%s %s  TLS handshakes  goroutines %d  window %.2fs\n"+
			"handshakes/s %.0f  latency p50 %.1fµs p99 %.1fµs max %.1fµs  loadgen CPU %.0f%%  errors %d\n",
		r.Network, r.Address, r.Conns, r.Seconds,
		r.HandshakesPerSec, r.P50Micros, r.P99Micros, r.MaxMicros, r.busyPercent(), r.Errors)
	return err
}
