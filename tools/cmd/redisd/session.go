package main

import (
	"errors"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// Reply buffering: replies of a batch accumulate in the session and go to the engine in one
// write when the batch is done, or earlier once this many bytes are waiting.
const replyFlushSize = 64 << 10

// A bulk value longer than this is handed to the engine directly, not copied into the reply
// buffer first.
const directWriteSize = 16 << 10

// Buffers grown past these sizes by an unusual request are dropped after it rather than kept
// for the life of the connection.
const (
	maxRetainedReply = 256 << 10
	maxRetainedArgv  = 4096 // also bounds the slice LPOP and RPOP fill
)

// session is one connection's state. The codec and the handler use it on the connection's
// loop only, one after the other, so it needs no locking.
//
// Commands are executed in batches: every whole command buffered when the engine asks, up to
// the parser's batch limit, is parsed in one pass and answered with one write. A command's
// bytes are consumed once it has been executed, not before: when the connection's pending
// output passes the high watermark (its client reads slower than we answer), the batch stops
// and the commands not yet executed wait in the connection's inbound buffer until the output
// has drained (see pacing.go).
type session struct {
	srv    *redisServer
	conn   api.Conn
	flow   api.FlowControl
	parser *resp.Parser

	// The batch: the commands of the parser's last Parse call, over the unconsumed inbound
	// bytes as they were then. next is the first command not yet executed; consumed is how
	// many of those bytes have been consumed since.
	next, consumed int
	// decoded is set by Decode when it has handed React the batch's first command.
	decoded bool
	// fault is the protocol error that ends the stream after the batch, if any.
	fault *resp.ProtocolError
	// blocked is set while the connection's pending output is above the high watermark:
	// no command is executed and the connection is not read until it drains.
	blocked bool

	// lastCommand is the command executed last, looked up first.
	lastCommand *command
	// argv holds the arguments of the command being executed; they point into the inbound
	// bytes.
	argv [][]byte
	// reply holds replies not yet handed to the engine.
	reply []byte
	// quit is set by QUIT and by a protocol error: close once the replies are written.
	quit bool
	// writeErr is the first error a write met; the connection is done.
	writeErr error
	// popped receives the elements LPOP and RPOP take from a list.
	popped [][]byte
	// visitor is the callback that writes a stored value as a bulk reply; made once, so
	// that passing it to the store allocates nothing.
	visitor func(value []byte)
}

func newSession(srv *redisServer, c api.Conn, flow api.FlowControl) *session {
	s := &session{srv: srv, conn: c, flow: flow, parser: resp.NewParser(srv.limits)}
	s.visitor = s.bulk
	return s
}

// decode parses the buffered commands into a new batch and returns the first, consumed,
// for React, which executes it and the rest of the batch. While the output is above the
// high watermark, or no whole command is buffered, it returns codec.ErrUnexpectedEOF and
// consumes nothing.
func (s *session) decode() ([]byte, error) {
	// hot path: no allocation
	if s.blocked || s.conn.BufferLength() < s.parser.Need() {
		return nil, codec.ErrUnexpectedEOF
	}
	buf := s.conn.Read()
	n, err := s.parse(buf)
	var frame []byte
	switch {
	case err != nil:
		return nil, err
	case s.parser.Len() > 0:
		frame = buf[:s.parser.End(0):s.parser.End(0)]
	case s.fault != nil:
		// Nothing after the fault can be parsed: the connection ends with this frame.
		frame = buf
	default:
		s.conn.ShiftN(n) // requests without arguments, which Redis ignores
		return nil, codec.ErrUnexpectedEOF
	}
	s.consumed = s.conn.ShiftN(len(frame))
	s.decoded = true
	return frame, nil
}

// parse makes the commands at the start of buf, the unconsumed inbound bytes, the batch. It
// returns how many bytes they take; an error is one that is not the client's fault.
func (s *session) parse(buf []byte) (int, error) {
	// hot path: no allocation
	n, err := s.parser.Parse(buf)
	s.next, s.consumed = 0, 0
	if err != nil {
		var fault *resp.ProtocolError
		if !errors.As(err, &fault) {
			return 0, err
		}
		s.fault = fault
	}
	return n, nil
}

// serve executes the batch Decode parsed: its first command from frame, the others from the
// inbound buffer. It returns Close after QUIT, after a protocol error has been answered, or
// when a write failed.
func (s *session) serve(frame []byte) api.Action {
	// hot path: no allocation
	if s.next < s.parser.Len() {
		s.run(frame, 0)
	}
	s.runBuffered()
	return s.finish()
}

// serveBuffered executes the whole commands in the inbound buffer, batch after batch, as far
// as the output allows: what serve does for new bytes, for the bytes that waited while the
// output was above the high watermark.
func (s *session) serveBuffered() api.Action {
	// Every pass consumes at least one byte or ends the loop, so it ends within as many
	// passes as bytes were buffered.
	for !s.stopped() && s.conn.BufferLength() >= max(s.parser.Need(), 1) {
		n, err := s.parse(s.conn.Read())
		if err != nil {
			s.writeErr = err
			break
		}
		if s.parser.Len() == 0 {
			s.conn.ShiftN(n)
			if n == 0 || s.fault != nil {
				break
			}
			continue
		}
		s.runBuffered()
		if s.next < s.parser.Len() || s.fault != nil {
			break
		}
	}
	return s.finish()
}

// runBuffered executes the batch's commands still in the inbound buffer, consuming each once
// it has run, until the batch is done or must stop.
func (s *session) runBuffered() {
	// hot path: no allocation
	if s.next == s.parser.Len() || s.stopped() {
		return
	}
	buf, from := s.conn.Read(), s.consumed
	next, end := s.next, s.parser.Len()
	for next < end {
		s.argv = s.parser.Command(buf, from, next, s.argv[:0])
		next++
		s.execute()
		if len(s.reply) >= replyFlushSize {
			s.flush()
		}
		if s.stopped() {
			break
		}
	}
	s.next, s.consumed = next, s.parser.End(next-1)
	s.conn.ShiftN(s.consumed - from)
}

// run executes the batch's next command, whose bytes buf holds from offset from of the
// parsed bytes on.
func (s *session) run(buf []byte, from int) {
	// hot path: no allocation
	s.argv = s.parser.Command(buf, from, s.next, s.argv[:0])
	s.next++
	s.execute()
	if len(s.reply) >= replyFlushSize {
		s.flush()
	}
}

// stopped reports whether no further command may run now: the output must drain first, or
// the connection is closing.
func (s *session) stopped() bool { return s.blocked || s.quit || s.writeErr != nil }

// finish ends a stretch of execution: it answers a protocol error that ended the batch,
// hands the replies to the engine and lets go of buffers an unusual request grew.
func (s *session) finish() api.Action {
	// hot path: no allocation
	switch {
	case s.next < s.parser.Len():
		// The batch stopped early; its other commands are parsed again when they run.
		s.parser.Reset()
		s.next, s.fault = 0, nil
	case s.fault != nil && !s.quit:
		s.reply = resp.AppendProtocolError(s.reply, s.fault)
		s.quit = true
		s.conn.ShiftN(s.conn.BufferLength())
	}
	s.flush()
	if cap(s.reply) > maxRetainedReply {
		s.reply = nil
	}
	if cap(s.argv) > maxRetainedArgv {
		s.argv = nil
	}
	if cap(s.popped) > maxRetainedArgv {
		s.popped = nil
	}
	if s.quit || s.writeErr != nil {
		return api.Close
	}
	return api.None
}

// flush hands the buffered replies to the engine.
func (s *session) flush() {
	// hot path: no allocation
	if len(s.reply) > 0 {
		s.handOff(s.reply)
		s.reply = s.reply[:0]
	}
}

// The reply writers of commands.

func (s *session) ok() { s.reply = append(s.reply, "+OK\r\n"...) }

func (s *session) null() { s.reply = resp.AppendNull(s.reply) }

func (s *session) integer(n int64) { s.reply = resp.AppendInt(s.reply, n) }

func (s *session) errorReply(msg string) { s.reply = resp.AppendError(s.reply, msg) }

// bulk writes value as a bulk string reply. A large value goes to the engine as it is, after
// the replies before it, instead of through the reply buffer.
func (s *session) bulk(value []byte) {
	// hot path: no allocation
	if len(value) <= directWriteSize {
		s.reply = resp.AppendBulk(s.reply, value)
		return
	}
	s.reply = resp.AppendBulkHeader(s.reply, len(value))
	s.flush()
	s.handOff(value)
	s.reply = append(s.reply, '\r', '\n')
}
