//go:build !(386 || amd64 || arm || arm64 || loong64 || mips || mipsle || mips64 || mips64le || ppc64 || ppc64le || riscv64 || s390x)

package gid

// Fast reports whether Current reads the goroutine's descriptor directly (false here) or
// parses runtime.Stack.
const Fast = false

// Current returns the calling goroutine's number.
func Current() uint64 { return fromStack() }
