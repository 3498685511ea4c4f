package resp

// maxFastDigits is the longest length wholeArray reads itself: nine digits always fit an int
// and cover every length the limits allow (MaxBulkLimit has nine).
const maxFastDigits = 9

// wholeArray parses, in one pass, an array of bulk strings that lies whole at the start of
// buf and is written the way clients write it: lengths of one to maxFastDigits digits, with
// no sign and no leading zero, within the parser's limits. It adds the command, its
// arguments' offsets moved by base into the call's buffer, and returns the bytes it takes
// and true. For anything else (a command not whole yet, a fault, a count of zero or less, an
// unusual number) it adds nothing and returns false, and the general path parses the command
// byte by byte, remembering it when it is not whole: the two agree on every input, as the
// fuzz test checks, and this one is only faster, because it reads each header once instead
// of finding its end and then parsing the number.
func (p *Parser) wholeArray(buf []byte, base int) (int, bool) {
	// hot path: no allocation in the steady state
	count, pos, ok := headerLength(buf, 1)
	if !ok || count == 0 || count > p.limits.MaxMultibulk {
		return 0, false
	}
	first := len(p.args)
	for range count {
		if pos >= len(buf) || buf[pos] != '$' {
			p.args = p.args[:first]
			return 0, false
		}
		length, start, ok := headerLength(buf, pos+1)
		end := start + length
		if !ok || length > p.limits.MaxBulk || end+2 > len(buf) {
			p.args = p.args[:first]
			return 0, false
		}
		p.args = append(p.args, span{start: base + start, end: base + end})
		// The two bytes after the string are skipped unread, as Redis does.
		pos = end + 2
	}
	p.cmds = append(p.cmds, command{first: first, count: count})
	p.need = 0
	return pos, true
}

// headerLength reads the length that ends a header line, from buf[from]: one to
// maxFastDigits digits, no leading zero unless the number is 0, then '\r' and one more byte,
// which Redis takes as the line end whatever it is. It returns the length and the offset
// after the line, or false when the line is not of that shape or not whole.
func headerLength(buf []byte, from int) (n, next int, ok bool) {
	// hot path: no allocation
	i := from
	for ; i < len(buf) && i-from <= maxFastDigits; i++ {
		c := buf[i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	digits := i - from
	if digits == 0 || digits > maxFastDigits || (buf[from] == '0' && digits > 1) ||
		i+1 >= len(buf) || buf[i] != '\r' {
		return 0, 0, false
	}
	return n, i + 2, true
}
