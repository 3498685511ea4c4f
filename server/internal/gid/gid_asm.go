//go:build amd64 || arm64

package gid

// Supported reports whether Current identifies goroutines on this architecture.
const Supported = true

// Current returns an identifier of the calling goroutine.
func Current() uintptr
