package buffer

import (
	"bytes"
	"strconv"
)

// pattern returns n bytes that differ from their neighbours and from other seeds, so that a
// byte out of place shows up in a comparison.
func pattern(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = seed + byte(i*7) + byte(i>>8)
	}
	return p
}

// ringContents concatenates everything Peek returns.
func ringContents(r *Ring) []byte {
	head, tail := r.Peek(-1)
	return concat(head, tail)
}

// concat returns a new slice holding parts one after another.
func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// byteCount names a size for a sub-benchmark: 64B, 4KiB, 1MiB.
func byteCount(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "KiB"
	}
	return strconv.Itoa(n) + "B"
}
