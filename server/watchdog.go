package server

import (
	"bytes"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gnetio/gnet/server/internal/gid"
)

// The stall watchdog (WithStallThreshold). A callback or a task that holds its loop (a
// blocking call, a long computation) holds every connection of that loop; the watchdog reports
// it while it happens, through the logger, with the loop's stack at that moment.
//
// The loop itself does almost nothing for it: its poller publishes when the turn in progress
// began (netpoll.Stats.Turn, one atomic store at each end of a wait, kept whether or not the
// watchdog runs), and, while the watchdog runs, the loop publishes the connection it is
// serving with one atomic store per ready connection or request. A goroutine of the server
// samples every loop at half the threshold and reports a turn once it has run longer than the
// threshold, once per turn (a turn is named by the poller's wait count, which does not change
// during it).
//
// The stack: only the goroutine itself can take its own stack with runtime.Stack, and by the
// time the loop could look at a clock again the callback has returned and its stack is gone.
// So the watchdog prints every goroutine's stack (runtime.Stack with all set, as a panic does)
// and keeps the loop's, found by the goroutine number the loop published when it started.
// That stops the world for as long as the printing takes, which is why it happens only when a
// stall is reported, once per stall.

// maxStackDump bounds the buffer that every goroutine's stack is printed into.
const maxStackDump = 64 << 20

// loopWatch is what a loop publishes for the watchdog.
type loopWatch struct {
	// on is set before the loop starts when the watchdog runs; then read-only.
	on bool
	// goroutine is the number of the loop's goroutine while it runs.
	goroutine atomic.Uint64
	// serving is the connection the loop serves now, when it knows; nil otherwise.
	serving atomic.Pointer[conn]
}

// noteServing publishes that the loop serves c now (nil: no connection), while the watchdog
// runs.
//
// hot path: no allocation
func (el *eventloop) noteServing(c *conn) {
	if el.watchdog.on {
		el.watchdog.serving.Store(c)
	}
}

// publishGoroutine makes the loop's goroutine findable in a stack dump; called by the loop
// when it starts.
func (el *eventloop) publishGoroutine() {
	if el.watchdog.on {
		el.watchdog.goroutine.Store(gid.Number())
	}
}

// startWatchdog runs the watchdog, when a stall threshold is set, until the loops have
// stopped. Called before the loops start.
func (s *server) startWatchdog() {
	threshold := s.cfg.StallThreshold
	if threshold <= 0 {
		return
	}
	for _, el := range s.loops {
		el.watchdog.on = true
	}
	ticker := time.NewTicker(max(threshold/2, time.Millisecond))
	s.helpers.Add(1)
	go s.watchStalls(ticker, threshold)
}

// watchStalls samples every loop at each tick and reports, once, each turn that has run longer
// than threshold.
func (s *server) watchStalls(ticker *time.Ticker, threshold time.Duration) {
	defer s.helpers.Done()
	defer ticker.Stop()
	// reported holds, per loop, the wait count of the turn last reported, plus one (0: none).
	reported := make([]uint64, len(s.loops))
	for {
		select {
		case <-s.loopsDone:
			return
		case <-ticker.C:
		}
		for i, el := range s.loops {
			p := el.poller.Stats()
			if p.Turn < threshold || reported[i] == p.Waits+1 {
				continue
			}
			reported[i] = p.Waits + 1
			el.stats.stalls.Add(1)
			s.reportStall(el, p.Turn, threshold)
		}
	}
}

// reportStall logs that el's turn has run for held, with the connection it serves and its
// goroutine's stack.
func (s *server) reportStall(el *eventloop, held, threshold time.Duration) {
	serving := "no connection"
	if c := el.watchdog.serving.Load(); c != nil {
		if addr := sockaddrToAddr(c.remote, true); addr != nil {
			serving = "the connection from " + addr.String()
		} else {
			serving = "a connection"
		}
	}
	s.cfg.logger.Warnf("gnet: event loop %d stalled: a callback or task has held it for %v (threshold %v), serving %s; every connection of the loop waits meanwhile. The loop's goroutine now:\n%s",
		el.idx, held.Round(time.Millisecond), threshold, serving, goroutineStack(el.watchdog.goroutine.Load()))
}

// goroutineStack returns the stack of goroutine number n as runtime.Stack prints it, or a
// sentence saying why it cannot.
func goroutineStack(n uint64) string {
	if n == 0 {
		return "(the loop's goroutine is not known)"
	}
	buf := make([]byte, 64<<10)
	for {
		size := runtime.Stack(buf, true)
		if size < len(buf) || len(buf) >= maxStackDump {
			buf = buf[:size]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	header := []byte("goroutine " + strconv.FormatUint(n, 10) + " [")
	start := -1
	switch {
	case bytes.HasPrefix(buf, header):
		start = 0
	default:
		// Goroutines are printed one after another, separated by a blank line.
		if i := bytes.Index(buf, append([]byte("\n\n"), header...)); i >= 0 {
			start = i + 2
		}
	}
	if start < 0 {
		return "(the loop's goroutine was not found among " + strconv.Itoa(bytes.Count(buf, []byte("\n\ngoroutine "))+1) + " goroutines)"
	}
	stack := buf[start:]
	if end := bytes.Index(stack, []byte("\n\n")); end >= 0 {
		stack = stack[:end]
	}
	return string(stack)
}
