// Package gid identifies the running goroutine cheaply, so that the engine can tell whether a
// call comes from an event loop's own goroutine (and may touch the loop's buffers directly) or
// from another goroutine (and must hand its work to the loop through the task queue).
//
// Current returns the address of the runtime's descriptor of the calling goroutine. It is
// stable for the goroutine's lifetime and differs from every other live goroutine's. A
// goroutine that has exited may have its descriptor reused, so compare only against a
// goroutine known to be alive, as an event loop is while it serves.
package gid
