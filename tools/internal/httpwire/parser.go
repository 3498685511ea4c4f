package httpwire

import "errors"

// Parser parses HTTP/1.x requests within its Limits. It holds no per-connection state and
// never changes after NewParser, so one Parser may serve every connection and goroutine at
// once.
type Parser struct {
	limits Limits
}

// NewParser returns a parser enforcing limits, or ErrInvalidLimits (wrapped, with the
// offending field) when a limit is outside its range.
func NewParser(limits Limits) (*Parser, error) {
	if err := limits.validate(); err != nil {
		return nil, err
	}
	return &Parser{limits: limits}, nil
}

// Parse parses the request at the start of buf into req and returns the number of bytes it
// took, head and body; bytes after it are left for the next call (pipelining).
//
// It returns ErrIncomplete while buf holds only the start of a request that is valid so far:
// call it again once more bytes have arrived, with buf starting at the same byte. Any other
// error rejects the request (StatusOf gives the response status); the stream cannot be
// resynchronised after it, so close the connection after responding. Syntax errors are
// reported as soon as the bytes that cause them have arrived, errors in what the fields say
// (Content-Length, Host, Transfer-Encoding) once the head is complete, and an oversized head
// as soon as MaxHeaderBytes bytes are buffered without its end.
//
// req's slices point into buf (see Request). Parse never reads past the request it returns
// and never retains buf. Call it from one goroutine at a time per req.
func (p *Parser) Parse(buf []byte, req *Request) (int, error) {
	// hot path: no allocation once req.Headers has the capacity clients need
	req.reset()
	head := buf
	if len(head) > p.limits.MaxHeaderBytes {
		// The head may not be longer, so bytes beyond the limit are never read as head.
		head = head[:p.limits.MaxHeaderBytes]
	}
	pos, err := skipEmptyLines(head)
	if err == nil {
		pos, err = parseRequestLine(head, pos, req)
	}
	var fields fieldFacts
	fields.contentLength = -1
	for err == nil {
		var done bool
		pos, done, err = p.parseFieldLine(head, pos, req, &fields)
		if done {
			break
		}
	}
	if errors.Is(err, ErrIncomplete) && len(head) == p.limits.MaxHeaderBytes {
		return 0, ErrHeaderTooLarge
	}
	if err != nil {
		return 0, err
	}
	if err := p.applyFields(&fields, req); err != nil {
		return 0, err
	}
	req.HeadLength = pos
	end := pos + req.ContentLength
	if end > len(buf) {
		return 0, ErrIncomplete
	}
	if req.ContentLength > 0 {
		req.Body = buf[pos:end:end]
	}
	return end, nil
}

// skipEmptyLines steps over CRLFs before the request line.
func skipEmptyLines(buf []byte) (int, error) {
	pos := 0
	for pos < len(buf) {
		switch buf[pos] {
		case '\r':
			if pos+1 == len(buf) {
				return pos, ErrIncomplete
			}
			if buf[pos+1] != '\n' {
				return pos, ErrMalformedRequestLine
			}
			pos += 2
		case '\n':
			return pos, ErrBareLF
		default:
			return pos, nil
		}
	}
	return pos, ErrIncomplete
}

// parseRequestLine parses method SP target SP version CRLF from pos and returns the position
// after it.
func parseRequestLine(buf []byte, pos int, req *Request) (int, error) {
	start := pos
	for pos < len(buf) && tokenChars[buf[pos]] {
		pos++
	}
	if pos == len(buf) {
		return pos, ErrIncomplete
	}
	if pos == start || buf[pos] != ' ' {
		return pos, ErrMalformedRequestLine
	}
	req.Method = buf[start:pos:pos]
	pos++

	start = pos
	for pos < len(buf) && targetChars[buf[pos]] {
		pos++
	}
	if pos == len(buf) {
		return pos, ErrIncomplete
	}
	if pos == start || buf[pos] != ' ' {
		return pos, ErrMalformedRequestLine
	}
	req.Target = buf[start:pos:pos]
	pos++
	return parseVersion(buf, pos, req)
}

// versionLine is the shape of the end of a request line: "HTTP/" DIGIT "." DIGIT CRLF, with
// '0' standing for any digit.
const versionLine = "HTTP/0.0\r\n"

// parseVersion parses the version and the CRLF ending the request line. A prefix that fits
// the shape is incomplete, so that garbage is rejected before a whole line has arrived.
func parseVersion(buf []byte, pos int, req *Request) (int, error) {
	rest := buf[pos:]
	if len(rest) >= len(versionLine) && string(rest[:len(versionLine)]) == "HTTP/1.1\r\n" {
		req.ProtoMinor = 1
		return pos + len(versionLine), nil
	}
	for i := 0; i < len(rest) && i < len(versionLine); i++ {
		want, got := versionLine[i], rest[i]
		switch {
		case want == '0':
			if got < '0' || got > '9' {
				return pos + i, ErrMalformedRequestLine
			}
		case want == '\r' && got == '\n':
			return pos + i, ErrBareLF
		case got != want:
			return pos + i, ErrMalformedRequestLine
		}
	}
	if len(rest) < len(versionLine) {
		return pos + len(rest), ErrIncomplete
	}
	major, minor := rest[5]-'0', rest[7]-'0'
	if major != 1 || minor > 1 {
		return pos, ErrUnsupportedVersion
	}
	req.ProtoMinor = int(minor)
	return pos + len(versionLine), nil
}
