package resp

import "strconv"

// The Append functions write one RESP2 reply onto dst and return the extended slice, growing
// it as append does. They keep no reference to their arguments and are safe for concurrent
// use on distinct slices.

// AppendSimple appends a simple string reply: "+" s "\r\n". s must hold no '\r' or '\n'.
func AppendSimple(dst []byte, s string) []byte {
	// hot path: no allocation once dst has room
	dst = append(dst, '+')
	dst = append(dst, s...)
	return append(dst, '\r', '\n')
}

// AppendError appends an error reply: "-" msg "\r\n", where msg starts with the error's code
// ("ERR syntax error", "WRONGTYPE Operation ..."). Carriage returns and line feeds in msg
// become spaces, as in Redis, because they would end the reply early.
func AppendError(dst []byte, msg string) []byte {
	dst = append(dst, '-')
	dst = AppendSanitized(dst, msg)
	return append(dst, '\r', '\n')
}

// AppendSanitized appends s with each '\r' and '\n' replaced by a space: the text of an error
// reply that quotes what a client sent.
func AppendSanitized[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		dst = append(dst, c)
	}
	return dst
}

// AppendProtocolError appends the reply Redis sends before it closes a connection whose
// request broke the protocol: "-ERR Protocol error: " and the error's reason.
func AppendProtocolError(dst []byte, err *ProtocolError) []byte {
	dst = append(dst, "-ERR Protocol error: "...)
	dst = AppendSanitized(dst, err.reason)
	return append(dst, '\r', '\n')
}

// AppendInt appends an integer reply: ":" n "\r\n".
func AppendInt(dst []byte, n int64) []byte {
	// hot path: no allocation once dst has room
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '\r', '\n')
}

// AppendBulkHeader appends the header of a bulk string reply of length bytes: "$" length
// "\r\n". The string's bytes and a closing "\r\n" must follow; AppendBulk writes all three.
func AppendBulkHeader(dst []byte, length int) []byte {
	// hot path: no allocation once dst has room
	dst = append(dst, '$')
	dst = strconv.AppendInt(dst, int64(length), 10)
	return append(dst, '\r', '\n')
}

// AppendBulk appends a bulk string reply holding b.
func AppendBulk[T string | []byte](dst []byte, b T) []byte {
	// hot path: no allocation once dst has room
	dst = AppendBulkHeader(dst, len(b))
	dst = append(dst, b...)
	return append(dst, '\r', '\n')
}

// AppendNull appends the null bulk string reply, "$-1\r\n": what GET answers for a missing
// key.
func AppendNull(dst []byte) []byte {
	return append(dst, "$-1\r\n"...)
}

// AppendArrayHeader appends the header of an array reply of n elements: "*" n "\r\n". The n
// replies that make up the array follow it.
func AppendArrayHeader(dst []byte, n int) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(n), 10)
	return append(dst, '\r', '\n')
}
