package main

import (
	"fmt"
	"io"
)

// handshakeReport is the outcome of a handshake run's measured window. Latencies are per
// connect plus handshake.
type handshakeReport struct {
	Network          string  `json:"network"`
	Address          string  `json:"address"`
	Conns            int     `json:"conns"`
	Handshakes       uint64  `json:"handshakes"`
	HandshakesPerSec float64 `json:"handshakes_per_sec"`
	windowStats
}

// summarizeHandshakes merges the cyclers' counts, once every cycler has returned.
func summarizeHandshakes(cfg config, cyclers []*cycler, win window) handshakeReport {
	r := handshakeReport{Network: cfg.network, Address: cfg.address, Conns: cfg.conns}
	r.Handshakes, r.windowStats = tallyCycles(cyclers, win)
	if r.Seconds > 0 {
		r.HandshakesPerSec = float64(r.Handshakes) / r.Seconds
	}
	return r
}

// write prints the report: one JSON object, or two human-readable lines. Per-goroutine
// errors are listed on errOut.
func (r handshakeReport) write(out, errOut io.Writer, asJSON bool) error {
	return writeOutcome(out, errOut, asJSON, r.connErrors, r, func(text io.Writer) error {
		_, err := fmt.Fprintf(text,
			"%s %s  TLS handshakes  goroutines %d  window %.2fs\n"+
				"handshakes/s %.0f  latency p50 %.1fµs p99 %.1fµs max %.1fµs  loadgen CPU %.0f%%  errors %d\n",
			r.Network, r.Address, r.Conns, r.Seconds,
			r.HandshakesPerSec, r.P50Micros, r.P99Micros, r.MaxMicros, r.busyPercent(), r.Errors)
		return err
	})
}
