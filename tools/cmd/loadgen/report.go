package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// report is the outcome of an echo run's measured window. Latencies are per round trip of
// a whole batch (inflight messages); MB/s counts payload bytes echoed, one direction, with
// 1 MB = 10^6 bytes.
type report struct {
	Network    string  `json:"network"`
	Address    string  `json:"address"`
	Conns      int     `json:"conns"`
	Size       int     `json:"size"`
	Inflight   int     `json:"inflight"`
	Frame      string  `json:"frame"`
	Messages   uint64  `json:"messages"`
	RoundTrips uint64  `json:"round_trips"`
	MsgsPerSec float64 `json:"msgs_per_sec"`
	MBPerSec   float64 `json:"mb_per_sec"`
	windowStats
}

// summarize merges the workers' counts, once every worker has returned.
func summarize(cfg config, workers []*worker, win window) report {
	r := report{
		Network: cfg.network, Address: cfg.address,
		Conns: cfg.conns, Size: cfg.size, Inflight: cfg.inflight, Frame: cfg.frame.String(),
	}
	var tally windowTally
	for i, w := range workers {
		tally.add(fmt.Sprintf("connection %d", i+1), &w.latency, w.roundTrips, w.err, win.interrupted)
		r.Messages += w.messages
		r.RoundTrips += w.roundTrips
	}
	r.windowStats = tally.stats(win)
	if r.Seconds > 0 {
		r.MsgsPerSec = float64(r.Messages) / r.Seconds
		r.MBPerSec = r.MsgsPerSec * float64(cfg.size) / 1e6
	}
	return r
}

// outcome is the report of a finished run, of either kind.
type outcome interface {
	// write prints the report, as one JSON object when asJSON, and lists errors on errOut.
	write(out, errOut io.Writer, asJSON bool) error
	// errorCount is the number of connections (or goroutines) that failed.
	errorCount() int
}

// maxListedErrors bounds the per-connection error lines, so a server that fails every one
// of ten thousand connections does not flood the terminal.
const maxListedErrors = 10

// write prints the report: one JSON object, or two human-readable lines. Per-connection
// errors are listed on errOut.
func (r report) write(out, errOut io.Writer, asJSON bool) error {
	return writeOutcome(out, errOut, asJSON, r.connErrors, r, func(text io.Writer) error {
		_, err := fmt.Fprintf(text,
			"%s %s  conns %d  size %d  inflight %d  frame %s  window %.2fs\n"+
				"msgs/s %.0f  MB/s %.2f  latency p50 %.1fµs p99 %.1fµs max %.1fµs  loadgen CPU %.0f%%  errors %d\n",
			r.Network, r.Address, r.Conns, r.Size, r.Inflight, r.Frame, r.Seconds,
			r.MsgsPerSec, r.MBPerSec, r.P50Micros, r.P99Micros, r.MaxMicros, r.busyPercent(), r.Errors)
		return err
	})
}

// writeOutcome lists errs on errOut, then prints r on out: as one JSON object when asJSON,
// else as text writes it.
func writeOutcome(out, errOut io.Writer, asJSON bool, errs []error, r any, text func(io.Writer) error) error {
	if err := listErrors(errOut, errs); err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(out).Encode(r)
	}
	return text(out)
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
