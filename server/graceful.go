package server

import (
	"os"
	"os/signal"
	"time"
)

// Graceful stop: stop accepting, ask the handler to wind every connection down (SignalClose),
// wait for them to close up to the drain deadline, then close what is left.

// stopAccepting stops every loop and the acceptor from taking new connections or datagrams.
// The sockets stay open until the server has stopped, so connects that arrive meanwhile wait
// in the backlog (for a process that inherited the sockets to accept) instead of being refused.
func (s *server) stopAccepting() {
	if s.acceptor != nil {
		// Stopping the acceptor, and waiting for it, first means no connection is handed to
		// a loop after the loop's stop task, which runs after every hand-over queued before
		// it; a hand-over dropped with a stopped loop's queue would leak its descriptor.
		if err := s.acceptor.trigger(runStop, &stopOp{el: s.acceptor, reason: ErrServerShutdown}); err != nil {
			s.cfg.logger.Debugf("gnet: stopping acceptor: %v", err)
		}
		s.acceptorWG.Wait()
	}
	for _, el := range s.loops {
		_ = el.trigger(runStopAccepting, el) // fails only if the loop has already stopped
	}
}

// runStopAccepting removes the loop's own sockets from its poller for good.
func runStopAccepting(arg any) error {
	el := arg.(*eventloop)
	el.acceptStopped = true
	for _, ln := range el.sockets() {
		// A socket not registered (accepting paused) is not an error worth reporting.
		_ = el.poller.Deregister(ln.fd)
	}
	return nil
}

// drain calls SignalClose for every open connection and waits, up to the drain timeout, for
// all of them to close. It reports whether some are still open.
func (s *server) drain() bool {
	for _, el := range s.loops {
		_ = el.trigger(runSignalClose, el) // fails only if the loop has already stopped
	}
	deadline := time.NewTimer(s.cfg.drainTimeout)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for s.openConns() > 0 {
		select {
		case <-deadline.C:
			s.cfg.logger.Warnf("gnet: %d connection(s) still open at the drain deadline (%v); closing them",
				s.openConns(), s.cfg.drainTimeout)
			return true
		case <-poll.C:
		}
	}
	return false
}

func (s *server) openConns() int {
	n := 0
	for _, el := range s.loops {
		n += int(el.connCount.Load())
	}
	return n
}

// runSignalClose calls SignalClose once for every open connection of the loop.
func runSignalClose(arg any) error {
	el := arg.(*eventloop)
	el.closeSignalled = true
	for _, c := range el.conns {
		if c != nil && c.state == connOpen && c.opened {
			el.signalClose(c)
		}
	}
	return nil
}

// notifySignals starts catching the stop and restart signals for a graceful server, and
// returns nil for others.
func notifySignals(cfg *config) chan os.Signal {
	if !cfg.Graceful {
		return nil
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, gracefulStopSignals...)
	if restartSignal != nil {
		signal.Notify(signals, restartSignal)
	}
	return signals
}

// stopSignals gives the signals back to their default handling.
func stopSignals(signals chan os.Signal) {
	if signals != nil {
		signal.Stop(signals)
	}
}

// handleSignals turns SIGINT and SIGTERM into a graceful stop and the restart signal into a
// restart, for servers started with WithGraceful(true).
func (s *server) handleSignals() {
	defer s.helpers.Done()
	defer stopSignals(s.signals)
	for {
		select {
		case <-s.stopping:
			return
		case sig := <-s.signals:
			if sig == restartSignal {
				s.restart()
				continue
			}
			s.cfg.logger.Infof("gnet: %v received; stopping gracefully", sig)
			s.signalShutdown()
			return
		}
	}
}
