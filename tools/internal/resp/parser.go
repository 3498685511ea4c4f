package resp

import "bytes"

// Parser cuts RESP2 requests out of a connection's inbound bytes. Keep one per connection:
// it remembers how far it got into a command that has not fully arrived, and reuses its
// buffers from one call to the next. It is not safe for concurrent use.
//
// The calling pattern, on each arrival of bytes:
//
//	n, err := p.Parse(buffered)          // buffered starts where the last call's n ended
//	for i := range p.Len() { argv = p.Command(buffered, 0, i, argv[:0]); ... }
//	consume n bytes; on err, answer with it and close the connection
//
// A caller that must stop before the last command (its client is not reading the replies)
// consumes only End(i) bytes, through the last command it executed, and calls Reset: the
// next Parse starts again from the first command not executed.
type Parser struct {
	limits Limits

	// The command being parsed, which may span calls. Offsets count from its first byte,
	// which is the first byte of the buffer of the next call.
	phase phase
	// pos is the offset of the next byte to parse.
	pos int
	// scanned is where the search for a line end resumes: no byte before it ends the line.
	scanned int
	// left is how many bulk strings of the array are still to come.
	left int
	// bulkLen is the length of the bulk string whose bytes are awaited.
	bulkLen int
	// pending indexes the command's first argument in args.
	pending int
	// need is how many bytes, from the command's first byte, must be buffered before
	// parsing can progress.
	need int

	// The commands of the last Parse call: args are their arguments' positions in the
	// buffer (or, for inline commands, in inline, which holds their unquoted bytes).
	args   []span
	cmds   []command
	inline []byte
}

// phase is the part of a command the parser expects next.
type phase uint8

const (
	phaseStart      phase = iota // the command's first byte, which tells its form
	phaseCount                   // an array header: "*<count>\r\n"
	phaseBulkHeader              // a bulk string header: "$<length>\r\n"
	phaseBulkBody                // a bulk string's bytes and the two that end it
	phaseInline                  // the end of an inline command's line
)

// span locates one argument: [start, end) of the buffer, or of Parser.inline.
type span struct{ start, end int }

// command is one parsed command: args[first : first+count], ending at offset end of the
// call's buffer.
type command struct {
	first, count int
	end          int
	inline       bool
}

// Buffers grown past these sizes by an unusual request are dropped rather than kept for the
// life of the connection.
const (
	maxRetainedArgs   = 4096
	maxRetainedInline = MaxInlineSize
)

// NewParser returns a parser that enforces limits (zero fields take their defaults; a MaxBulk
// above MaxBulkLimit is taken as MaxBulkLimit).
func NewParser(limits Limits) *Parser {
	return &Parser{limits: limits.withDefaults()}
}

// Parse parses the whole commands at the start of buf, up to the parser's MaxBatch, and
// returns how many bytes they take. buf must begin where the bytes consumed so far end: at
// byte n of the previous call's buffer, with whatever arrived since appended.
//
// n == 0 with a nil error means no whole command is buffered yet (Need tells how many bytes
// must be); a command that is partly buffered is remembered, so the next call resumes it
// instead of scanning it again. Requests with no arguments ("*0\r\n", a blank line) are
// consumed without producing a command, as Redis ignores them.
//
// A non-nil error is a *ProtocolError: the commands before the fault are still returned (Len,
// Command) and n covers them; nothing after them can be parsed, and the parser must be Reset
// before it is used for another stream.
func (p *Parser) Parse(buf []byte) (n int, err error) {
	// hot path: no allocation in the steady state
	p.startBatch()
	for len(p.cmds) < p.limits.MaxBatch {
		commands := len(p.cmds)
		var used int
		if used, err = p.next(buf[n:], n); err != nil || used == 0 {
			break
		}
		n += used
		if len(p.cmds) > commands {
			p.cmds[commands].end = n
		}
	}
	// Requests without arguments after the last command are consumed with it, so that
	// consuming through End(Len()-1) consumes n.
	if last := len(p.cmds) - 1; last >= 0 {
		p.cmds[last].end = n
	}
	return n, err
}

// Len returns how many commands the last Parse call returned.
func (p *Parser) Len() int { return len(p.cmds) }

// Command appends the arguments of the last Parse call's command i to argv and returns it.
// buf holds the bytes of the buffer given to that call from offset from on: the buffer itself
// with from 0, or what is left of it once from bytes (at most End(i-1)) have been consumed.
// The arguments point into buf, or into the parser's own memory for inline commands: they are
// valid until buf changes or the next Parse call, whichever comes first.
func (p *Parser) Command(buf []byte, from, i int, argv [][]byte) [][]byte {
	// hot path: no allocation once argv has grown to the longest command
	cmd := p.cmds[i]
	source := buf
	if cmd.inline {
		source, from = p.inline, 0
	}
	for _, arg := range p.args[cmd.first : cmd.first+cmd.count] {
		argv = append(argv, source[arg.start-from:arg.end-from:arg.end-from])
	}
	return argv
}

// End returns the offset, in the buffer given to the last Parse call, just past its command
// i: consuming End(i) bytes consumes commands 0 to i. The last command's End is the n Parse
// returned.
func (p *Parser) End(i int) int { return p.cmds[i].end }

// Need returns how many bytes the next Parse call's buffer must hold for parsing to make
// progress, after a call that ended on a command not yet whole; 0 otherwise. A caller that
// knows fewer bytes are buffered can wait without calling Parse.
func (p *Parser) Need() int { return p.need }

// Reset forgets the command in progress and the last call's commands, so the parser can
// start on a new stream, or again from a command of the last call that the caller did not
// consume. Needed after an error or such a stop; not needed between ordinary calls.
func (p *Parser) Reset() {
	p.resetCommand()
	p.args = p.args[:0]
	p.cmds = p.cmds[:0]
	p.inline = p.inline[:0]
}

// startBatch clears the last call's commands, keeping the arguments of a command in progress
// (moved to the front, where its offsets still hold since its first byte now starts the
// buffer).
func (p *Parser) startBatch() {
	p.cmds = p.cmds[:0]
	p.inline = p.inline[:0]
	if cap(p.inline) > maxRetainedInline {
		p.inline = nil
	}
	if p.phase == phaseStart {
		p.args = p.args[:0]
		if cap(p.args) > maxRetainedArgs {
			p.args = nil
		}
		return
	}
	kept := copy(p.args, p.args[p.pending:])
	p.args = p.args[:kept]
	p.pending = 0
}

// resetCommand makes the parser expect the first byte of a new command.
func (p *Parser) resetCommand() {
	p.phase = phaseStart
	p.pos, p.scanned, p.left, p.bulkLen, p.need = 0, 0, 0, 0, 0
}

// next parses one command at the start of buf, which begins at offset base of the call's
// buffer. It returns the bytes the command takes, or 0 when it is not whole yet.
func (p *Parser) next(buf []byte, base int) (int, error) {
	// hot path: no allocation in the steady state
	for {
		switch p.phase {
		case phaseStart:
			if len(buf) == 0 {
				p.need = 1
				return 0, nil
			}
			if buf[0] == '*' {
				if used, ok := p.wholeArray(buf, base); ok {
					return used, nil
				}
			}
			p.pending = len(p.args)
			if buf[0] != '*' {
				p.phase = phaseInline
				continue
			}
			p.phase = phaseCount
			p.scanned = 1
		case phaseCount:
			end, err := p.line(buf, 0, ErrTooBigMultibulkCount)
			if end < 0 || err != nil {
				return 0, err
			}
			count, ok := ParseInt(buf[1:end])
			if !ok || count > int64(p.limits.MaxMultibulk) {
				return 0, ErrInvalidMultibulkLength
			}
			p.pos = end + 2
			if count <= 0 {
				return p.finishArray(base), nil
			}
			p.left = int(count)
			p.phase = phaseBulkHeader
			p.scanned = p.pos
		case phaseBulkHeader:
			end, err := p.line(buf, p.pos, ErrTooBigBulkCount)
			if end < 0 || err != nil {
				return 0, err
			}
			// Like Redis, look at the type byte only once the whole line is there.
			if buf[p.pos] != '$' {
				return 0, expectedBulkError(buf[p.pos])
			}
			length, ok := ParseInt(buf[p.pos+1 : end])
			if !ok || length < 0 || length > int64(p.limits.MaxBulk) {
				return 0, ErrInvalidBulkLength
			}
			p.bulkLen = int(length)
			p.pos = end + 2
			p.phase = phaseBulkBody
		case phaseBulkBody:
			end := p.pos + p.bulkLen
			// The two bytes after the string are skipped unread, as Redis does.
			if len(buf) < end+2 {
				p.need = end + 2
				return 0, nil
			}
			p.args = append(p.args, span{start: p.pos, end: end})
			p.pos = end + 2
			p.left--
			if p.left == 0 {
				return p.finishArray(base), nil
			}
			p.phase = phaseBulkHeader
			p.scanned = p.pos
		default: // phaseInline
			return p.inlineCommand(buf)
		}
	}
}

// line finds the end of the header line that starts at offset from: the offset of its '\r',
// which Redis takes as the end whatever follows it, once the byte after it is buffered too.
// It returns -1 while the line is not whole, and tooBig once more than MaxInlineSize bytes
// hold no '\r'.
func (p *Parser) line(buf []byte, from int, tooBig error) (int, error) {
	i := bytes.IndexByte(buf[p.scanned:], '\r')
	if i < 0 {
		if len(buf)-from > MaxInlineSize {
			return -1, tooBig
		}
		p.scanned = len(buf)
		p.need = len(buf) + 1
		return -1, nil
	}
	end := p.scanned + i
	p.scanned = end
	if len(buf) < end+2 {
		p.need = end + 2
		return -1, nil
	}
	return end, nil
}

// finishArray records the array just parsed, if it has arguments, with its arguments'
// offsets moved from the command's start to the call's buffer, and returns its length.
func (p *Parser) finishArray(base int) int {
	if count := len(p.args) - p.pending; count > 0 {
		for i := p.pending; i < len(p.args); i++ {
			p.args[i].start += base
			p.args[i].end += base
		}
		p.cmds = append(p.cmds, command{first: p.pending, count: count})
	}
	used := p.pos
	p.resetCommand()
	return used
}
