package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// maxScanInterval bounds how long a lost datagram waits beyond its timeout to be counted and
// replaced, and how long a worker takes to notice that the run has stopped.
const maxScanInterval = 10 * time.Millisecond

// runUDP runs the datagram load: cfg.conns connected UDP sockets, each keeping cfg.inflight
// datagrams in flight, through the warm-up and the measured window. It returns an error only
// when the run could not take place; faults, losses and late replies are counted in the
// report.
func runUDP(ctx context.Context, cfg config, progress io.Writer) (udpReport, error) {
	server, err := net.ResolveUDPAddr(cfg.network, cfg.address)
	if err != nil {
		return udpReport{}, fmt.Errorf("%w: %w", ErrBadAddress, err)
	}
	workers := make([]*udpWorker, 0, cfg.conns)
	defer func() {
		for _, w := range workers {
			// The run is over; a close error leaves nothing to undo.
			_ = w.sock.close()
		}
	}()
	for i := range cfg.conns {
		sock, err := newUDPSocket(cfg, server)
		if err != nil {
			return udpReport{}, fmt.Errorf("socket %d of %d: %w", i+1, cfg.conns, err)
		}
		workers = append(workers, newUDPWorker(cfg, uint32(i), sock))
	}

	var phase atomic.Int32
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { w.run(&phase) })
	}
	stopWorkers := func() {
		phase.Store(phaseStopped)
		for _, w := range workers {
			// A socket whose deadline cannot be set is closed already; its worker has
			// returned or is about to. A worker that resets its deadline after this one
			// still sees the phase within maxScanInterval.
			_ = w.sock.setReadDeadline(longAgo)
		}
		wg.Wait()
	}

	win, err := runWindow(ctx, cfg, &phase, progress, stopWorkers)
	if err != nil {
		return udpReport{}, err
	}
	return summarizeUDP(cfg, workers, win), nil
}

// udpWorker drives one socket. Its fields are written only by its own goroutine and read by
// the coordinator after that goroutine has returned.
type udpWorker struct {
	sock     *udpSocket
	template udpTemplate
	window   *udpWindow
	// slotDatagrams[slot] is the datagram last sent from slot, rewritten for the next one
	// once it is answered or lost; outgoing collects those of one turn.
	slotDatagrams [][]byte
	outgoing      [][]byte
	lossTimeout   time.Duration
	scanInterval  time.Duration
	start         time.Time

	latency  histogram
	answered uint64
	sent     uint64
	lost     uint64
	late     uint64
	err      error
}

func newUDPWorker(cfg config, id uint32, sock *udpSocket) *udpWorker {
	w := &udpWorker{
		sock:          sock,
		template:      newUDPTemplate(id, cfg.size),
		window:        newUDPWindow(cfg.inflight),
		slotDatagrams: make([][]byte, cfg.inflight),
		outgoing:      make([][]byte, 0, cfg.inflight),
		lossTimeout:   cfg.lossTimeout,
		scanInterval:  min(cfg.lossTimeout/4, maxScanInterval),
	}
	for slot := range w.slotDatagrams {
		w.slotDatagrams[slot] = w.template.newDatagram()
	}
	return w
}

// run fills the window, then, over and over: waits for replies (at most until the next
// scan), checks and settles each, counts the datagrams awaited for longer than the loss
// timeout as lost, and sends a new datagram from every slot that became free. It ends when
// the phase becomes phaseStopped or at the first fault.
//
// hot path: no allocation
func (w *udpWorker) run(phase *atomic.Int32) {
	w.start = time.Now()
	var lastScan time.Duration
	if err := w.sock.setReadDeadline(w.start.Add(w.scanInterval)); err != nil {
		w.fail(phase, err)
		return
	}
	for {
		if err := w.refill(phase.Load() == phaseMeasuring); err != nil {
			w.fail(phase, err)
			return
		}
		received, err := w.sock.receive()
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			w.fail(phase, err)
			return
		}
		now := time.Since(w.start)
		current := phase.Load()
		if current == phaseStopped {
			return
		}
		measuring := current == phaseMeasuring
		for i := range received {
			if err := w.settleReceive(i, now, measuring); err != nil {
				w.err = err
				return
			}
		}
		if now-lastScan >= w.scanInterval {
			lost := w.window.expire(now, w.lossTimeout)
			if measuring {
				w.lost += uint64(lost)
			}
			lastScan = now
			if err := w.sock.setReadDeadline(w.start.Add(now + w.scanInterval)); err != nil {
				w.fail(phase, err)
				return
			}
		}
	}
}

// refill sends a new datagram from every free slot, all with one send.
//
// hot path: no allocation
func (w *udpWorker) refill(measuring bool) error {
	w.outgoing = w.outgoing[:0]
	now := time.Since(w.start)
	for {
		slot, ok := w.window.popFree()
		if !ok {
			break
		}
		d := w.slotDatagrams[slot]
		w.template.stamp(d, slot, w.window.issue(slot, now))
		w.outgoing = append(w.outgoing, d)
	}
	if len(w.outgoing) == 0 {
		return nil
	}
	if measuring {
		w.sent += uint64(len(w.outgoing))
	}
	return w.sock.send(w.outgoing)
}

// settleReceive checks and settles every datagram of receive i of the socket's last
// receive, which arrived at now.
//
// hot path: no allocation
func (w *udpWorker) settleReceive(i int, now time.Duration, measuring bool) error {
	data, segment := w.sock.message(i)
	if segment <= 0 || segment > len(data) {
		segment = len(data)
	}
	for {
		d := data[:min(segment, len(data))]
		if err := w.settle(d, now, measuring); err != nil {
			return err
		}
		data = data[len(d):]
		if len(data) == 0 {
			return nil
		}
	}
}

// settle checks one reply and records what it answered.
//
// hot path: no allocation unless the reply is a fault
func (w *udpWorker) settle(reply []byte, now time.Duration, measuring bool) error {
	slot, seq, err := w.template.check(reply)
	if err != nil {
		return err
	}
	v, rtt := w.window.settle(slot, seq, now)
	switch v {
	case verdictAnswered:
		if measuring {
			w.latency.record(rtt)
			w.answered++
		}
	case verdictLate:
		if measuring {
			w.late++
		}
	case verdictDuplicate:
		return fmt.Errorf("%w: sequence number %d", ErrDuplicateEcho, seq)
	case verdictNeverSent:
		return fmt.Errorf("%w: a reply to sequence number %d, which was never sent", ErrEchoMismatch, seq)
	case verdictWrongSlot:
		return fmt.Errorf("%w: a reply to sequence number %d names slot %d, not the one it was sent from",
			ErrEchoMismatch, seq, slot)
	}
	return nil
}

// fail records an I/O error unless the run has stopped, in which case the error is the
// coordinator's deadline interrupting a wait, not a fault.
func (w *udpWorker) fail(phase *atomic.Int32, err error) {
	if phase.Load() == phaseStopped {
		return
	}
	w.err = err
}
