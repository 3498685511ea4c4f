package resp

import "bytes"

// inlineCommand parses an inline command, a line of words ending in "\n" (or "\r\n"), once
// the whole line is buffered. It returns the bytes the line takes, or 0 while it is not whole.
func (p *Parser) inlineCommand(buf []byte) (int, error) {
	i := bytes.IndexByte(buf[p.scanned:], '\n')
	if i < 0 {
		if len(buf) > MaxInlineSize {
			return 0, ErrTooBigInline
		}
		p.scanned = len(buf)
		p.need = len(buf) + 1
		return 0, nil
	}
	end := p.scanned + i
	line := buf[:end]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	// Redis splits the line as a C string: a NUL byte ends it.
	if nul := bytes.IndexByte(line, 0); nul >= 0 {
		line = line[:nul]
	}
	if err := p.splitInline(line); err != nil {
		return 0, err
	}
	if count := len(p.args) - p.pending; count > 0 {
		p.cmds = append(p.cmds, command{first: p.pending, count: count, inline: true})
	}
	p.resetCommand()
	return end + 1, nil
}

// splitInline splits line into arguments the way redis-cli and Redis do (sdssplitargs):
// words separated by blanks; "double quotes" with the escapes \n \r \t \b \a \xHH and \<any
// byte>; 'single quotes' with the escape \'; a closing quote must be followed by a blank or
// the end of the line. Quotes may start in the middle of a word and join what follows to it.
// The arguments' bytes go to p.inline, their spans to p.args.
func (p *Parser) splitInline(line []byte) error {
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			return nil
		}
		start := len(p.inline)
		var err error
		i, err = p.inlineWord(line, i)
		if err != nil {
			return err
		}
		p.args = append(p.args, span{start: start, end: len(p.inline)})
	}
}

// inlineWord copies the word that starts at line[i] to p.inline, unquoting it, and returns
// the offset after it.
func (p *Parser) inlineWord(line []byte, i int) (int, error) {
	inDouble, inSingle := false, false
	for {
		switch {
		case inDouble:
			if i == len(line) {
				return 0, ErrUnbalancedQuotes
			}
			switch c := line[i]; {
			case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
				p.inline = append(p.inline, hexValue(line[i+2])<<4|hexValue(line[i+3]))
				i += 4
			case c == '\\' && i+1 < len(line):
				p.inline = append(p.inline, unescape(line[i+1]))
				i += 2
			case c == '"':
				return closeQuote(line, i)
			default:
				p.inline = append(p.inline, c)
				i++
			}
		case inSingle:
			if i == len(line) {
				return 0, ErrUnbalancedQuotes
			}
			switch c := line[i]; {
			case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
				p.inline = append(p.inline, '\'')
				i += 2
			case c == '\'':
				return closeQuote(line, i)
			default:
				p.inline = append(p.inline, c)
				i++
			}
		default:
			if i == len(line) {
				return i, nil
			}
			switch c := line[i]; c {
			// Only these end an unquoted word; '\v' and '\f' belong to it, as in Redis.
			case ' ', '\n', '\r', '\t':
				return i + 1, nil
			case '"':
				inDouble = true
			case '\'':
				inSingle = true
			default:
				p.inline = append(p.inline, c)
			}
			i++
		}
	}
}

// closeQuote accepts the closing quote at line[i] if a blank or the end of the line follows
// it, and returns the offset after it.
func closeQuote(line []byte, i int) (int, error) {
	if i+1 < len(line) && !isSpace(line[i+1]) {
		return 0, ErrUnbalancedQuotes
	}
	return i + 1, nil
}

// isSpace is C's isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexValue(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	default:
		return c - '0'
	}
}

// unescape returns the byte a backslash followed by c stands for inside double quotes.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	default:
		return c
	}
}
