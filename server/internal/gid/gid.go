// Package gid identifies the running goroutine, so that the engine can tell whether a call
// comes from an event loop's own goroutine (and may touch the loop's buffers directly) or from
// another goroutine (and must hand its work to the loop through the task queue).
//
// Current returns a value that is stable for the calling goroutine's lifetime, nonzero, and
// differs from every other live goroutine's. A goroutine that has exited may have its value
// reused, so compare only against a goroutine known to be alive, as an event loop is while it
// serves.
//
// Every architecture gets a correct answer. Where the runtime keeps the current goroutine's
// descriptor in a register or in thread-local storage that assembly can read (every
// architecture Go supports on Linux), Current is that descriptor's address, read in about a
// nanosecond; elsewhere it is the goroutine's number, parsed from runtime.Stack, which costs
// about a microsecond.
package gid
