package httpwire

import "bytes"

// fieldFacts collects what the fields that matter to framing and connection handling say,
// while the field lines are parsed; applyFields judges them once the head is complete.
type fieldFacts struct {
	// contentLength is the agreed Content-Length, saturated at MaxBodyBytes+1; -1 if absent.
	contentLength    int
	hosts            int
	transferEncoding bool
	connectionClose  bool
	connectionKeep   bool
	expectContinue   bool
}

// parseFieldLine parses the field line at pos, or the blank line that ends the head (done).
func (p *Parser) parseFieldLine(buf []byte, pos int, req *Request, facts *fieldFacts) (next int, done bool, err error) {
	if pos == len(buf) {
		return pos, false, ErrIncomplete
	}
	switch buf[pos] {
	case '\r':
		if pos+1 == len(buf) {
			return pos, false, ErrIncomplete
		}
		if buf[pos+1] != '\n' {
			return pos, false, ErrMalformedHeader
		}
		return pos + 2, true, nil
	case '\n':
		return pos, false, ErrBareLF
	case ' ', '\t':
		// Obsolete line folding, or whitespace before the first field, which RFC 9112
		// section 2.2 names as a way to smuggle a field past another parser.
		return pos, false, ErrMalformedHeader
	}

	start := pos
	for pos < len(buf) && tokenChars[buf[pos]] {
		pos++
	}
	if pos == len(buf) {
		return pos, false, ErrIncomplete
	}
	if pos == start || buf[pos] != ':' {
		return pos, false, ErrMalformedHeader
	}
	name := buf[start:pos:pos]
	pos++

	start = pos
	for pos < len(buf) && valueChars[buf[pos]] {
		pos++
	}
	if pos == len(buf) {
		return pos, false, ErrIncomplete
	}
	switch buf[pos] {
	case '\r':
		if pos+1 == len(buf) {
			return pos, false, ErrIncomplete
		}
		if buf[pos+1] != '\n' {
			return pos, false, ErrMalformedHeader
		}
	case '\n':
		return pos, false, ErrBareLF
	default:
		return pos, false, ErrMalformedHeader // a control character in the value
	}
	value := trimSpaceAndTab(buf[start:pos:pos])

	if len(req.Headers) == p.limits.MaxHeaders {
		return pos, false, ErrTooManyHeaders
	}
	req.Headers = append(req.Headers, Header{Name: name, Value: value})
	if err := p.noteField(name, value, facts); err != nil {
		return pos, false, err
	}
	return pos + 2, false, nil
}

// noteField records what a field that matters to the parser says.
func (p *Parser) noteField(name, value []byte, facts *fieldFacts) error {
	switch len(name) {
	case len("host"):
		if equalFoldASCII(name, "host") {
			facts.hosts++
		}
	case len("expect"):
		if equalFoldASCII(name, "expect") {
			facts.expectContinue = equalFoldASCII(value, "100-continue")
		}
	case len("connection"):
		if equalFoldASCII(name, "connection") {
			noteConnectionOptions(value, facts)
		}
	case len("content-length"):
		if equalFoldASCII(name, "content-length") {
			return p.noteContentLength(value, facts)
		}
	case len("transfer-encoding"):
		if equalFoldASCII(name, "transfer-encoding") {
			facts.transferEncoding = true
		}
	}
	return nil
}

// noteConnectionOptions reads the comma-separated options of a Connection field.
func noteConnectionOptions(value []byte, facts *fieldFacts) {
	for more := true; more; {
		var option []byte
		option, value, more = nextListElement(value)
		switch {
		case equalFoldASCII(option, "close"):
			facts.connectionClose = true
		case equalFoldASCII(option, "keep-alive"):
			facts.connectionKeep = true
		}
	}
}

// nextListElement splits the first element off a comma-separated list, without surrounding
// spaces and tabs; more reports whether a comma followed it.
func nextListElement(list []byte) (element, rest []byte, more bool) {
	i := bytes.IndexByte(list, ',')
	if i < 0 {
		return trimSpaceAndTab(list), nil, false
	}
	return trimSpaceAndTab(list[:i]), list[i+1:], true
}

// noteContentLength reads a Content-Length value: a number, or a comma-separated list of the
// same number, which must also agree with any earlier Content-Length field. Numbers above
// MaxBodyBytes saturate at MaxBodyBytes+1: too large is too large, whatever the digits.
func (p *Parser) noteContentLength(value []byte, facts *fieldFacts) error {
	limit := p.limits.MaxBodyBytes
	for more := true; more; {
		var element []byte
		element, value, more = nextListElement(value)
		if len(element) == 0 {
			return ErrInvalidContentLength
		}
		n := 0
		for _, b := range element {
			if b < '0' || b > '9' {
				return ErrInvalidContentLength
			}
			if n <= limit {
				n = n*10 + int(b-'0')
			}
		}
		n = min(n, limit+1)
		if facts.contentLength >= 0 && facts.contentLength != n {
			return ErrConflictingContentLength
		}
		facts.contentLength = n
	}
	return nil
}

// applyFields judges the fields once the head is complete and fills in req's framing and
// connection handling.
func (p *Parser) applyFields(facts *fieldFacts, req *Request) error {
	switch {
	case facts.transferEncoding:
		return ErrTransferEncoding
	case facts.hosts > 1:
		return ErrDuplicateHost
	case facts.hosts == 0 && req.ProtoMinor == 1:
		return ErrMissingHost
	case facts.contentLength > p.limits.MaxBodyBytes:
		return ErrBodyTooLarge
	}
	req.ContentLength = max(facts.contentLength, 0)
	req.ExpectContinue = facts.expectContinue
	if req.ProtoMinor == 1 {
		req.KeepAlive = !facts.connectionClose
	} else {
		req.KeepAlive = facts.connectionKeep && !facts.connectionClose
	}
	return nil
}
