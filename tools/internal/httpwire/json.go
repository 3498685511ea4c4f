package httpwire

import "unicode/utf8"

// AppendMessageJSON appends the JSON object {"message":<message>} to dst, the body of the
// JSON route, encoded by hand: no reflection and no allocation beyond growing dst. Safe
// from any goroutine with its own dst.
func AppendMessageJSON(dst []byte, message string) []byte {
	// hot path: no allocation beyond growing dst
	dst = append(dst, `{"message":`...)
	dst = AppendJSONString(dst, message)
	return append(dst, '}')
}

// hexDigits spell the \u00XX escapes of control characters.
const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal: quoted, with quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028 and U+2029
// escaped so that the output is also valid JavaScript, as encoding/json does. Unlike
// encoding/json it leaves <, > and & alone: the output is not meant for HTML. Safe from any
// goroutine with its own dst.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0 // s[start:i] is pending, to be copied as it is
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= ' ' && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
