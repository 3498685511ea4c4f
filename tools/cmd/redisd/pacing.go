package main

import (
	"fmt"
	"log"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// Pacing a client that reads its replies slower than it asks for them.
//
// Replies go to the engine as they are produced. Once a connection's pending output is above
// the high watermark even after writing what the socket takes at once, the session is
// blocked: the command being executed finishes, the ones after it stay unconsumed in the
// inbound buffer, and the connection is not read (PauseRead), so that a client that pipelines
// without reading holds at most about a high watermark of replies and a read of requests. The
// engine tells the handler when the output has drained below the low watermark
// (OnWritabilityChanged); the session then reads again and executes the commands that waited.
// The output can also drain below the low watermark before the engine has reported it above
// the high one (the kernel took it right after the callback), and then no change is
// reported: so blocking also asks for a wake-up, which resumes the session if the output is
// low by then. A client that reads nothing is closed by the engine's write timeout; a single
// reply larger than what the outbound limit leaves closes the connection once the replies
// before it are written.

// outputLimits bound a connection's pending output, in bytes: the engine's outbound limit and
// write watermarks, which the session must know to pace itself by them.
type outputLimits struct {
	max, high, low int
}

// outputLimitsFor returns the limits for an outbound limit of maxOutbound bytes: the engine's
// default watermarks, lowered to fit under it.
func outputLimitsFor(maxOutbound int) outputLimits {
	high := min(server.DefaultWriteHighWatermark, maxOutbound)
	return outputLimits{max: maxOutbound, high: high, low: min(server.DefaultWriteLowWatermark, high)}
}

// handOff gives data to the engine, which copies it into the connection's outbound buffer.
func (s *session) handOff(data []byte) {
	// hot path: no allocation
	if s.writeErr != nil {
		return
	}
	if pending := s.flow.OutboundLength(); pending+len(data) > s.srv.output.high {
		s.handOffAboveHighWatermark(data, pending)
		return
	}
	if err := s.conn.WriteNoCodec(data); err != nil {
		s.writeErr = err
	}
}

// handOffAboveHighWatermark is handOff when data takes the pending output above the high
// watermark: it writes what the socket takes at once and, if the output is still above the
// watermark, blocks the session. When data does not fit in what the outbound limit leaves
// even then, the connection ends instead, once what is queued has been written.
func (s *session) handOffAboveHighWatermark(data []byte, pending int) {
	// hot path: no allocation
	limits := &s.srv.output
	if pending+len(data) > limits.max {
		s.writeNow()
		if pending = s.flow.OutboundLength(); pending+len(data) > limits.max {
			s.writeErr = fmt.Errorf("%w: %d bytes to queue after %d pending, limit %d", errReplyTooLarge, len(data), pending, limits.max)
			if !s.srv.quiet {
				log.Printf("redisd: closing a connection from %v: %v", s.conn.RemoteAddr(), s.writeErr)
			}
			return
		}
	}
	if err := s.conn.WriteNoCodec(data); err != nil {
		s.writeErr = err
		return
	}
	if s.flow.OutboundLength() > limits.high {
		s.writeNow()
		if s.flow.OutboundLength() > limits.high {
			s.block()
		}
	}
}

// noCodec is FlushWrite's argument for bytes that bypass the codec, made once: a variadic
// argument built at each call would be allocated, as it escapes through the interface.
var noCodec = []bool{true}

// writeNow writes as much of the pending output as the socket takes, without waiting: what
// FlushWrite does when called on the connection's loop.
func (s *session) writeNow() { s.conn.FlushWrite(nil, noCodec...) }

// block stops executing commands and reading the connection until the output drains.
func (s *session) block() {
	if s.blocked {
		return
	}
	s.blocked = true
	// Both fail only on a connection already closed, where nothing is left to pace.
	_ = s.flow.PauseRead()
	_ = s.conn.Wake()
}

// resume executes the commands that waited, once the output is below the low watermark. It
// runs on the connection's loop, from OnWritabilityChanged or the wake-up block asked for.
func (s *session) resume() api.Action {
	if !s.blocked || s.flow.OutboundLength() > s.srv.output.low {
		return api.None
	}
	s.blocked = false
	if err := s.flow.ResumeRead(); err != nil {
		return api.Close // the connection is closing already
	}
	return s.serveBuffered()
}

// OnWritabilityChanged resumes a blocked session once the connection's output has drained
// below the low watermark.
func (rs *redisServer) OnWritabilityChanged(c api.Conn, writable bool) {
	s, ok := c.Context().(*session)
	if !ok || !writable {
		return
	}
	if s.resume() == api.Close {
		// On the loop Close only marks the connection for closing once its output is written.
		_ = c.Close()
	}
}
