package gid

import "runtime"

// fromStack returns the calling goroutine's number, which runtime.Stack prints first:
// "goroutine 42 [running]:". Numbers are never reused while the process lives. It is the
// portable identity, for architectures whose goroutine register assembly cannot name.
func fromStack() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	return parseGoroutineNumber(buf[:n])
}

// parseGoroutineNumber reads N from a stack trace header "goroutine N [...". It returns 0 when
// the header has another shape, which no goroutine's identity equals.
func parseGoroutineNumber(header []byte) uint64 {
	const prefix = "goroutine "
	if len(header) < len(prefix) || string(header[:len(prefix)]) != prefix {
		return 0
	}
	var id uint64
	digits := 0
	for _, b := range header[len(prefix):] {
		if b < '0' || b > '9' {
			break
		}
		id = id*10 + uint64(b-'0')
		digits++
	}
	if digits == 0 {
		return 0
	}
	return id
}
