package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"
)

// Phases of an echo run. Workers read the phase after every round trip, so the switch from
// one phase to the next costs them one atomic load and no coordination.
const (
	phaseWarmup int32 = iota
	phaseMeasuring
	phaseStopped
)

// worker drives one connection. Its fields are written only by its own goroutine and read
// by the coordinator after that goroutine has returned.
type worker struct {
	conn  net.Conn
	batch *batch
	seq   uint32

	latency    histogram
	messages   uint64
	roundTrips uint64
	err        error
}

// run writes the batch, reads back exactly as many bytes, checks every one of them and
// records the round trip, until the phase becomes phaseStopped or an error ends it.
//
// hot path: no allocation
func (w *worker) run(phase *atomic.Int32) {
	inflight := uint64(len(w.batch.wire) / w.batch.messageBytes)
	for {
		w.seq = w.batch.stamp(w.seq)
		start := time.Now()
		if _, err := w.conn.Write(w.batch.wire); err != nil {
			w.fail(phase, err)
			return
		}
		if _, err := io.ReadFull(w.conn, w.batch.echo); err != nil {
			w.fail(phase, err)
			return
		}
		elapsed := time.Since(start)
		if !bytes.Equal(w.batch.wire, w.batch.echo) {
			w.err = fmt.Errorf("%w: byte %d of a %d-byte batch", ErrEchoMismatch,
				w.batch.firstDifference(), len(w.batch.wire))
			return
		}
		switch phase.Load() {
		case phaseMeasuring:
			w.latency.record(elapsed)
			w.messages += inflight
			w.roundTrips++
		case phaseStopped:
			return
		}
	}
}

// fail records an I/O error unless the run has stopped, in which case the error is the
// coordinator's deadline interrupting a blocked read or write, not a fault.
func (w *worker) fail(phase *atomic.Int32, err error) {
	if phase.Load() == phaseStopped {
		return
	}
	w.err = err
}
