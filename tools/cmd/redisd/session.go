package main

import (
	"github.com/gnetio/gnet/api"
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
type session struct {
	srv    *redisServer
	conn   api.Conn
	parser *resp.Parser

	// decoded is set by Decode when a batch of commands waits for React.
	decoded bool
	// fault is the protocol error that ended the stream after the batch, if any.
	fault *resp.ProtocolError

	// lastCommand is the command executed last, looked up first.
	lastCommand *command
	// argv holds the arguments of the command being executed; they point into the frame.
	argv [][]byte
	// reply holds replies not yet handed to the engine.
	reply []byte
	// quit is set by QUIT and by a protocol error: close once the replies are written.
	quit bool
	// writeErr is the first error the engine returned for a write; the connection is done.
	writeErr error
	// popped receives the elements LPOP and RPOP take from a list.
	popped [][]byte
	// visitor is the callback that writes a stored value as a bulk reply; made once, so
	// that passing it to the store allocates nothing.
	visitor func(value []byte)
}

func newSession(srv *redisServer, c api.Conn) *session {
	s := &session{srv: srv, conn: c, parser: resp.NewParser(srv.limits)}
	s.visitor = s.bulk
	return s
}

// serve executes the batch of commands Decode parsed from frame and writes their replies. It
// returns Close after QUIT, after a protocol error has been answered, or when the engine
// refused a write.
func (s *session) serve(frame []byte) api.Action {
	// hot path: no allocation
	for i := range s.parser.Len() {
		s.argv = s.parser.Command(frame, 0, i, s.argv[:0])
		s.execute()
		if s.quit || s.writeErr != nil {
			break
		}
		if len(s.reply) >= replyFlushSize {
			s.flush()
		}
	}
	if s.fault != nil && !s.quit {
		s.reply = resp.AppendProtocolError(s.reply, s.fault)
		s.quit = true
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

// flush hands the buffered replies to the engine, which copies them into the connection's
// outbound buffer and writes them once the current event is handled.
func (s *session) flush() {
	// hot path: no allocation
	if len(s.reply) == 0 || s.writeErr != nil {
		return
	}
	if err := s.conn.WriteNoCodec(s.reply); err != nil {
		s.writeErr = err
	}
	s.reply = s.reply[:0]
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
	if s.writeErr == nil {
		if err := s.conn.WriteNoCodec(value); err != nil {
			s.writeErr = err
		}
	}
	s.reply = append(s.reply, '\r', '\n')
}
