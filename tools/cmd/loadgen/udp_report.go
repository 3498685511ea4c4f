package main

import (
	"fmt"
	"io"
)

// udpReport is the outcome of a UDP run's measured window. A datagram counts in the window
// when it is settled there: answered (Messages, with its round trip in the latencies), or
// counted lost when its loss timeout passed (Lost). Late counts replies to datagrams already
// counted lost; they stay lost. MB/s counts payload bytes answered, one direction, with
// 1 MB = 10^6 bytes.
type udpReport struct {
	Network       string  `json:"network"`
	Address       string  `json:"address"`
	Sockets       int     `json:"sockets"`
	Size          int     `json:"size"`
	Inflight      int     `json:"inflight"`
	GSOBatch      int     `json:"gso_batch"`
	GRO           bool    `json:"gro"`
	LossTimeoutMS float64 `json:"loss_timeout_ms"`
	Messages      uint64  `json:"messages"`
	Sent          uint64  `json:"sent"`
	Lost          uint64  `json:"lost"`
	Late          uint64  `json:"late"`
	LossPercent   float64 `json:"loss_percent"`
	MsgsPerSec    float64 `json:"msgs_per_sec"`
	MBPerSec      float64 `json:"mb_per_sec"`
	windowStats
}

// summarizeUDP merges the workers' counts, once every worker has returned.
func summarizeUDP(cfg config, workers []*udpWorker, win window) udpReport {
	r := udpReport{
		Network: cfg.network, Address: cfg.address,
		Sockets: cfg.conns, Size: cfg.size, Inflight: cfg.inflight,
		GSOBatch: cfg.gsoBatch, GRO: cfg.gro, LossTimeoutMS: micros(cfg.lossTimeout) / 1000,
	}
	var tally windowTally
	for i, w := range workers {
		tally.add(fmt.Sprintf("socket %d", i+1), &w.latency, w.answered, w.err, win.interrupted)
		r.Messages += w.answered
		r.Sent += w.sent
		r.Lost += w.lost
		r.Late += w.late
	}
	r.windowStats = tally.stats(win)
	if settled := r.Messages + r.Lost; settled > 0 {
		r.LossPercent = float64(r.Lost) / float64(settled) * 100
	}
	if r.Seconds > 0 {
		r.MsgsPerSec = float64(r.Messages) / r.Seconds
		r.MBPerSec = r.MsgsPerSec * float64(cfg.size) / 1e6
	}
	return r
}

// write prints the report: one JSON object, or two human-readable lines. Per-socket errors
// are listed on errOut.
func (r udpReport) write(out, errOut io.Writer, asJSON bool) error {
	return writeOutcome(out, errOut, asJSON, r.connErrors, r, func(text io.Writer) error {
		_, err := fmt.Fprintf(text,
			"%s %s  sockets %d  size %d  inflight %d  gso %d  gro %v  loss timeout %gms  window %.2fs\n"+
				"datagrams/s %.0f  MB/s %.2f  lost %d (%.3f%%)  late %d  latency p50 %.1fµs p99 %.1fµs max %.1fµs  "+
				"loadgen CPU %.0f%%  errors %d\n",
			r.Network, r.Address, r.Sockets, r.Size, r.Inflight, r.GSOBatch, r.GRO, r.LossTimeoutMS, r.Seconds,
			r.MsgsPerSec, r.MBPerSec, r.Lost, r.LossPercent, r.Late, r.P50Micros, r.P99Micros, r.MaxMicros,
			r.busyPercent(), r.Errors)
		return err
	})
}
