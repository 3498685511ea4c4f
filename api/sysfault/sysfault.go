// Package sysfault is the seam through which a test build makes the engine's system calls
// fail. Every system call a connection makes (accept, read, write and writev, shutdown, close,
// the socket options set on a connection, the sweep's poll) and the pollers' control and wait
// ask Check first; the Fault it returns says whether the call fails with an errno, transfers
// fewer bytes than it was offered, or runs as usual.
//
// In a normal build Enabled is false and Check returns the zero Fault at once: the engine asks
// it only under `if sysfault.Enabled`, so the compiler drops the question and the engine's
// system calls compile to what they would be without the seam. Built with the gnetfaults tag
// (`go test -tags gnetfaults`), Enabled is true and Install puts an Injector in place for the
// whole process; every Check then asks it.
//
// The package depends on the standard library only.
package sysfault

import (
	"strconv"
	"syscall"
)

// Op names a kind of system call that passes the seam.
type Op uint8

const (
	OpAccept     Op = iota // accept(2) and accept4(2) on a listener
	OpRead                 // read(2) on a connection
	OpWrite                // write(2) and writev(2) on a connection
	OpShutdown             // shutdown(2) of a connection
	OpClose                // close(2) of a connection's descriptor
	OpSetsockopt           // the socket options set on accepted and dialed connections
	OpPoll                 // the sweep's poll(2)
	OpControl              // the poller's control: epoll_ctl(2), kevent(2) changes
	OpWait                 // the poller's wait: epoll_pwait(2), epoll_pwait2(2), kevent(2) waits
	NumOps                 // the number of Ops, for tables indexed by Op
)

var opNames = [NumOps]string{
	OpAccept:     "accept",
	OpRead:       "read",
	OpWrite:      "write",
	OpShutdown:   "shutdown",
	OpClose:      "close",
	OpSetsockopt: "setsockopt",
	OpPoll:       "poll",
	OpControl:    "control",
	OpWait:       "wait",
}

// String returns the call's name as the report of a test prints it ("accept", "read", ...).
func (o Op) String() string {
	if o < NumOps {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// Call describes a system call about to be made.
type Call struct {
	Op Op
	// FD is the descriptor the call is made on: the listener for OpAccept, the poller's for
	// OpWait, the connection's (or the watched descriptor's, for OpControl) otherwise; -1 when
	// the call has none of its own (OpPoll over several descriptors).
	FD int
	// Len is the number of bytes offered to a read or a write; 0 for other calls.
	Len int
}

// Fault is what the seam does to a call. The zero Fault lets the call run as usual.
type Fault struct {
	// Errno, when not zero, makes the call fail with it without reaching the kernel. OpClose
	// is the exception: the descriptor is closed, then Errno is reported, as Linux does when
	// close(2) returns EINTR or EIO (the descriptor is released either way).
	Errno syscall.Errno
	// Short, when above zero and below the call's Len, makes a read or a write transfer at most
	// Short bytes: the real call is made with its buffer cut to Short. Other calls ignore it.
	Short int
}

// Limit returns how many of the n bytes offered the call may transfer: Short when it cuts
// the call short, n otherwise.
func (f Fault) Limit(n int) int {
	if f.Short > 0 && f.Short < n {
		return f.Short
	}
	return n
}

// Injector decides the fault of every call. Inject is called concurrently from every event
// loop's goroutine (and from dialing and accepting goroutines), so it must be safe for that;
// it runs inside the engine's hot paths and must not block or call back into the engine.
type Injector interface {
	Inject(Call) Fault
}

// InjectorFunc adapts a function to an Injector.
type InjectorFunc func(Call) Fault

// Inject calls f(c).
func (f InjectorFunc) Inject(c Call) Fault { return f(c) }
