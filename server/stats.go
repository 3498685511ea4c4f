package server

import (
	"errors"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
)

// Statistics. Every loop counts what it does in a loopStats of its own: atomic counters that
// the loop's goroutine adds to (a few stray ones come from other goroutines: datagram replies
// sent off the loop, the watchdog's stalls) and any goroutine loads, without a lock. The
// counters sit on cache lines of their own, so that a reader or another loop never contends
// with the loop that writes them. An atomic add on a line only its writer touches costs a few
// nanoseconds, and counting is per read, per write, per frame and per connection, never per
// byte. The time a loop is busy, its turns and its wake-ups are the poller's (netpoll.Stats).

// cacheLine pads loopStats so that its counters share no cache line with other data.
const cacheLine = 64

// loopStats are one loop's counters; see api.LoopStats for what each counts.
type loopStats struct {
	_ [cacheLine]byte

	accepted, dialed, opened atomic.Uint64
	closed                   [api.NumCloseCauses]atomic.Uint64
	bytesIn, bytesOut        atomic.Uint64
	framesIn, framesOut      atomic.Uint64
	// outbound is the output queued on the loop's connections and not yet written.
	outbound                   atomic.Int64
	handshakes, handshakesFail atomic.Uint64
	acceptBackoffs             atomic.Uint64
	stalls                     atomic.Uint64

	_ [cacheLine]byte
}

// noteRead counts a read of n bytes from a socket; n <= 0 (an error, end of file) counts
// nothing.
//
// hot path: no allocation
func (s *loopStats) noteRead(n int) {
	if n > 0 {
		s.bytesIn.Add(uint64(n))
	}
}

// noteQueued counts n bytes queued on a connection's outbound buffer.
//
// hot path: no allocation
func (s *loopStats) noteQueued(n int) { s.outbound.Add(int64(n)) }

// noteWritten counts n bytes of queued output written to a socket.
//
// hot path: no allocation
func (s *loopStats) noteWritten(n int) {
	s.bytesOut.Add(uint64(n))
	s.outbound.Add(-int64(n))
}

// noteSent counts n bytes sent at once, without queuing: a datagram.
func (s *loopStats) noteSent(n int) { s.bytesOut.Add(uint64(n)) }

// noteHandshake counts a TLS handshake's outcome.
func (s *loopStats) noteHandshake(err error) {
	if err != nil {
		s.handshakesFail.Add(1)
		return
	}
	s.handshakes.Add(1)
}

// noteRetired counts the end of c for the application, before its buffers are dropped: its
// pending output leaves the loop's outbound figure, and its close is counted by cause when it
// was opened.
func (s *loopStats) noteRetired(c *conn) {
	if n := c.outbound.Len(); n > 0 {
		s.outbound.Add(-int64(n))
	}
	if c.opened {
		s.closed[closeCauseOf(c, c.closeReason())].Add(1)
	}
}

// causeOfSentinel maps the errors of ours a connection may close with to the cause counted
// for them; closeCauseOf checks them in this order.
var causeOfSentinel = [...]struct {
	err   error
	cause api.CloseCause
}{
	{ErrIdleTimeout, api.CauseIdleTimeout},
	{ErrWriteTimeout, api.CauseWriteTimeout},
	{ErrOutboundLimit, api.CauseOutboundLimit},
	{ErrCodecNoProgress, api.CauseCodecError},
	{ErrServerShutdown, api.CauseServerStop},
	{ErrDrainTimeout, api.CauseDrainTimeout},
	{ErrHandlerPanic, api.CausePanic},
	{ErrTLSHandshakeTimeout, api.CauseTLSFailure},
	{unix.ECONNRESET, api.CausePeer},
	{unix.EPIPE, api.CausePeer},
}

// closeCauseOf sorts the reason c was closed with into the causes the statistics count. A nil
// reason is an orderly close: the peer's, when it had ended its side, the handler's
// otherwise.
func closeCauseOf(c *conn, reason error) api.CloseCause {
	switch {
	case reason == nil:
		if c.reads&peerFinished != 0 {
			return api.CausePeer
		}
		return api.CauseHandler
	case c.codecFault:
		return api.CauseCodecError
	}
	for _, s := range causeOfSentinel {
		if errors.Is(reason, s.err) {
			return s.cause
		}
	}
	var sysErr *os.SyscallError
	if c.tls != nil && !errors.As(reason, &sysErr) {
		// A failed handshake, a bad record, the peer's alert: crypto/tls's errors, which
		// carry no sentinel of ours, are the only others a TLS connection closes with.
		return api.CauseTLSFailure
	}
	return api.CauseError
}

// snapshot loads the counters into an api.LoopStats, with the poller's figures.
func (el *eventloop) snapshot() api.LoopStats {
	s := &el.stats
	out := api.LoopStats{
		Index:                el.idx,
		Accepted:             s.accepted.Load(),
		Dialed:               s.dialed.Load(),
		BytesIn:              s.bytesIn.Load(),
		BytesOut:             s.bytesOut.Load(),
		FramesIn:             s.framesIn.Load(),
		FramesOut:            s.framesOut.Load(),
		OutboundBytes:        s.outbound.Load(),
		TLSHandshakes:        s.handshakes.Load(),
		TLSHandshakeFailures: s.handshakesFail.Load(),
		AcceptBackoffs:       s.acceptBackoffs.Load(),
		Stalls:               s.stalls.Load(),
	}
	// Closes are loaded before opens: every close follows its open, so the difference is
	// never negative.
	for i := range s.closed {
		out.Closed[i] = s.closed[i].Load()
	}
	out.ConnsOpen = int64(s.opened.Load() - out.ClosedTotal())
	p := el.poller.Stats()
	out.Busy, out.Idle = p.Busy, p.Idle
	out.Turns, out.Waits, out.Triggers, out.Wakeups, out.Tasks = p.Turns, p.Waits, p.Triggers, p.Wakeups, p.Tasks
	return out
}

// stats is Server.Stats (and ClientManage.Stats): every loop's figures and their sum, with
// the acceptor's in the sum.
func (s *server) stats() api.ServerStats {
	out := api.ServerStats{Loops: make([]api.LoopStats, len(s.loops)), Total: api.LoopStats{Index: -1}}
	for i, el := range s.loops {
		out.Loops[i] = el.snapshot()
		out.Total.Add(&out.Loops[i])
	}
	if s.acceptor != nil {
		acceptor := s.acceptor.snapshot()
		out.Acceptor = &acceptor
		out.Total.Add(&acceptor)
	}
	return out
}
