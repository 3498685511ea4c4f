package gid

import "runtime"

// Number returns the calling goroutine's number, as runtime.Stack and panics print it
// ("goroutine 42 [running]:"), on every architecture. It costs about a microsecond: call it
// once, to name a goroutine in another's stack dump, not to compare identities (Current).
func Number() uint64 { return fromStack() }

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
