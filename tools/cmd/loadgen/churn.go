package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// runChurn runs the connection-churn load: cfg.conns goroutines each connect, write one
// message of cfg.size bytes, read back its echo, check it and close, over and over, through
// the warm-up and the measured window. It returns an error only when a signal ends the
// warm-up; faults are counted in the report.
func runChurn(ctx context.Context, cfg config, progress io.Writer) (churnReport, error) {
	cyclers, win, err := runCycles(ctx, cfg, progress, func(i int) cycleFunc {
		c := &churner{dialer: net.Dialer{Timeout: dialTimeout}, cfg: cfg, batch: newBatch(cfg.frame, cfg.size, 1, i)}
		return c.once
	})
	if err != nil {
		return churnReport{}, err
	}
	r := churnReport{Network: cfg.network, Address: cfg.address, Conns: cfg.conns, Size: cfg.size, Frame: cfg.frame.String()}
	r.Connections, r.windowStats = tallyCycles(cyclers, win)
	if r.Seconds > 0 {
		r.ConnsPerSec = float64(r.Connections) / r.Seconds
	}
	return r, nil
}

// churner is the state of one churning goroutine: its message, stamped with a new sequence
// number for every connection, so that an echo from an earlier connection is caught.
type churner struct {
	dialer net.Dialer
	cfg    config
	batch  *batch
	seq    uint32
}

// once connects, echoes one message and closes; it returns the time from the start of the
// connect to the checked echo. The client closes first, as a client that is done does; the
// server sees the end of the stream and closes its side.
func (c *churner) once(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	conn, release, err := dialForCycle(ctx, &c.dialer, c.cfg)
	if err != nil {
		return 0, err
	}
	defer func() {
		release()
		// The connection is done with; a failed close leaves nothing to undo.
		_ = conn.Close()
	}()
	c.seq = c.batch.stamp(c.seq)
	if _, err := conn.Write(c.batch.wire); err != nil {
		return 0, err
	}
	if _, err := io.ReadFull(conn, c.batch.echo); err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	if !bytes.Equal(c.batch.wire, c.batch.echo) {
		return 0, fmt.Errorf("%w: byte %d of a %d-byte message", ErrEchoMismatch,
			c.batch.firstDifference(), len(c.batch.wire))
	}
	return elapsed, nil
}

// churnReport is the outcome of a churn run's measured window. Latencies are per
// connection: connect, write, and the checked echo.
type churnReport struct {
	Network     string  `json:"network"`
	Address     string  `json:"address"`
	Conns       int     `json:"conns"`
	Size        int     `json:"size"`
	Frame       string  `json:"frame"`
	Connections uint64  `json:"connections"`
	ConnsPerSec float64 `json:"conns_per_sec"`
	windowStats
}

// write prints the report: one JSON object, or two human-readable lines. Per-goroutine
// errors are listed on errOut.
func (r churnReport) write(out, errOut io.Writer, asJSON bool) error {
	return writeOutcome(out, errOut, asJSON, r.connErrors, r, func(text io.Writer) error {
		_, err := fmt.Fprintf(text,
			"%s %s  connection churn  goroutines %d  size %d  frame %s  window %.2fs\n"+
				"connections/s %.0f  latency p50 %.1fµs p99 %.1fµs max %.1fµs  loadgen CPU %.0f%%  errors %d\n",
			r.Network, r.Address, r.Conns, r.Size, r.Frame, r.Seconds,
			r.ConnsPerSec, r.P50Micros, r.P99Micros, r.MaxMicros, r.busyPercent(), r.Errors)
		return err
	})
}
