//go:build !amd64 && !arm64

package gid

// Supported reports whether Current identifies goroutines on this architecture. Where it does
// not, callers must assume they are not on an event loop and take the queued path, which is
// always correct.
const Supported = false

// Current returns 0: this architecture has no cheap goroutine identity.
func Current() uintptr { return 0 }
