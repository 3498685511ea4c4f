package api

import "time"

// CloseCause is why a connection was closed, as the engine's statistics count closes: the
// reason OnClosed received, sorted into a few kinds an operator can watch.
type CloseCause uint8

const (
	// CausePeer: the peer ended the connection: its end of stream (or TLS close_notify), a
	// reset, or a broken pipe.
	CausePeer CloseCause = iota
	// CauseHandler: the handler closed it (a Close action, Conn.Close) without a fault.
	CauseHandler
	// CauseIdleTimeout: nothing was read for the idle timeout (ErrIdleTimeout).
	CauseIdleTimeout
	// CauseWriteTimeout: pending output made no progress for the write timeout
	// (ErrWriteTimeout).
	CauseWriteTimeout
	// CauseOutboundLimit: pending output passed the outbound limit (ErrOutboundLimit).
	CauseOutboundLimit
	// CauseCodecError: the codec refused the input (a frame too large, a malformed header,
	// ErrCodecNoProgress).
	CauseCodecError
	// CauseTLSFailure: the TLS handshake failed or timed out (ErrTLSHandshakeTimeout), or a
	// record could not be decrypted or encrypted.
	CauseTLSFailure
	// CauseServerStop: the server stopped while the connection was open (ErrServerShutdown).
	CauseServerStop
	// CauseDrainTimeout: a graceful stop's drain deadline passed while it was open
	// (ErrDrainTimeout).
	CauseDrainTimeout
	// CausePanic: a callback for it panicked (ErrHandlerPanic).
	CausePanic
	// CauseError: any other fault, such as a system call failing with an error that does
	// not come from the peer.
	CauseError
	// NumCloseCauses is the number of causes: the length of LoopStats.Closed.
	NumCloseCauses
)

var closeCauseNames = [NumCloseCauses]string{
	CausePeer:          "peer",
	CauseHandler:       "handler",
	CauseIdleTimeout:   "idle_timeout",
	CauseWriteTimeout:  "write_timeout",
	CauseOutboundLimit: "outbound_limit",
	CauseCodecError:    "codec_error",
	CauseTLSFailure:    "tls_failure",
	CauseServerStop:    "server_stop",
	CauseDrainTimeout:  "drain_timeout",
	CausePanic:         "panic",
	CauseError:         "error",
}

// String returns the cause as a lower-case word with underscores ("idle_timeout"), fit for a
// metric label.
func (c CloseCause) String() string {
	if c < NumCloseCauses {
		return closeCauseNames[c]
	}
	return "unknown"
}

// LoopStats are the figures of one event loop since the server started, or their sum over
// every loop (ServerStats.Total). Counters only grow; the gauges (ConnsOpen, OutboundBytes)
// say how things stand now. The engine keeps every figure without a lock; a snapshot loads
// them one by one, so the figures of one LoopStats may be a few events apart from each other.
type LoopStats struct {
	// Index is the loop's index, from 0 to NumEventLoop-1; -1 in ServerStats.Total.
	Index int

	// ConnsOpen is the number of connections open for the handler now: OnOpened has fired
	// for them and OnClosed has not.
	ConnsOpen int64
	// Accepted counts connections accepted from a listener and handed to this loop; Dialed
	// counts outbound connections (Client, DialFrom) whose connect succeeded.
	Accepted, Dialed uint64
	// Closed counts the connections closed (OnClosed fired), by cause.
	Closed [NumCloseCauses]uint64

	// BytesIn and BytesOut count the bytes read from and written to sockets: ciphertext
	// under TLS, datagrams included.
	BytesIn, BytesOut uint64
	// FramesIn counts the frames (and datagrams) handed to React; FramesOut counts the
	// writes that reached the loop (AsyncWrite, WriteNoCodec, WriteAndFlush, SendTo and
	// OnOpened's greeting), one refused at the outbound limit included.
	FramesIn, FramesOut uint64
	// OutboundBytes is the output queued on the loop's connections and not yet written.
	OutboundBytes int64

	// TLSHandshakes counts TLS handshakes that completed; TLSHandshakeFailures those that
	// failed or timed out.
	TLSHandshakes, TLSHandshakeFailures uint64
	// AcceptBackoffs counts the pauses accepting took after running out of descriptors or
	// memory.
	AcceptBackoffs uint64
	// Stalls counts the turns of the loop that the watchdog saw last longer than its
	// threshold (WithStallThreshold); 0 while the watchdog is off.
	Stalls uint64

	// Busy is the time the loop spent handling events and tasks (callbacks included); Idle
	// the time it spent waiting for them in the kernel. Busy / (Busy + Idle) is how loaded
	// the loop is. Both are added to at the ends of each wait, so the turn or the wait in
	// progress is not in them yet (housekeeping wakes every loop at least once a second).
	Busy, Idle time.Duration
	// Turns counts the loop's turns (a wait, its events, the queued tasks, the writes);
	// Waits the waits for events; Triggers the tasks other goroutines queued for it
	// (AsyncWrite, Wake, Close from outside the loop, hand-overs, housekeeping); Wakeups the
	// wake-ups those tasks cost (tasks queued while one is pending share it); Tasks the tasks
	// run.
	Turns, Waits, Triggers, Wakeups, Tasks uint64
}

// ClosedTotal returns the number of connections closed, whatever the cause.
func (s *LoopStats) ClosedTotal() uint64 {
	var n uint64
	for _, c := range s.Closed {
		n += c
	}
	return n
}

// Add adds o's figures to s's; Index is left as it is.
func (s *LoopStats) Add(o *LoopStats) {
	s.ConnsOpen += o.ConnsOpen
	s.Accepted += o.Accepted
	s.Dialed += o.Dialed
	for i := range s.Closed {
		s.Closed[i] += o.Closed[i]
	}
	s.BytesIn += o.BytesIn
	s.BytesOut += o.BytesOut
	s.FramesIn += o.FramesIn
	s.FramesOut += o.FramesOut
	s.OutboundBytes += o.OutboundBytes
	s.TLSHandshakes += o.TLSHandshakes
	s.TLSHandshakeFailures += o.TLSHandshakeFailures
	s.AcceptBackoffs += o.AcceptBackoffs
	s.Stalls += o.Stalls
	s.Busy += o.Busy
	s.Idle += o.Idle
	s.Turns += o.Turns
	s.Waits += o.Waits
	s.Triggers += o.Triggers
	s.Wakeups += o.Wakeups
	s.Tasks += o.Tasks
}

// ServerStats is a snapshot of a server's (or a client's) statistics: each loop's figures and
// their sum. Take one with Server.Stats (or ClientManage.Stats) from any goroutine, as often
// as needed: it costs a few hundred atomic loads, and nothing on the loops.
type ServerStats struct {
	// Loops holds one LoopStats per event loop, in index order.
	Loops []LoopStats
	// Acceptor holds the figures of the loop that only accepts and hands connections to the
	// others, when the server has one (one listener and more than one loop, without
	// WithReusePort): its accept back-offs, turns and wake-ups. Its Index is -1. Nil otherwise.
	Acceptor *LoopStats
	// Total sums the loops' figures and the acceptor's. Its Index is -1.
	Total LoopStats
}
