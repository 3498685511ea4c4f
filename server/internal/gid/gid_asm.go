//go:build 386 || amd64 || arm || arm64 || loong64 || mips || mipsle || mips64 || mips64le || ppc64 || ppc64le || riscv64 || s390x

package gid

// Fast reports whether Current reads the goroutine's descriptor directly (true here) or
// parses runtime.Stack.
const Fast = true

// Current returns an identifier of the calling goroutine: the address of its runtime
// descriptor, as a uint64 on every architecture.
func Current() uint64 { return uint64(current()) }

// current reads the runtime's pointer to the calling goroutine's descriptor.
func current() uintptr
