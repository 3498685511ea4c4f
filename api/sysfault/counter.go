package sysfault

import (
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// errnoSlots bounds the errnos a Counter tells apart; larger ones share the last slot.
const errnoSlots = 256

// Counter is an Injector that passes every call to another and counts the calls and the
// faults it returned, by Op and by errno (or short transfer). Its methods are safe from any
// goroutine; the counts cost no lock and no allocation.
type Counter struct {
	next   Injector
	calls  [NumOps]atomic.Uint64
	shorts [NumOps]atomic.Uint64
	errnos [NumOps][errnoSlots]atomic.Uint64
}

// NewCounter returns a Counter over next (nil: a Counter that injects nothing and only counts
// the calls).
func NewCounter(next Injector) *Counter { return &Counter{next: next} }

// Inject asks the wrapped injector and counts the call and its fault. A Fault whose Short
// does not cut the call (not below its Len) is not counted as a fault.
func (c *Counter) Inject(call Call) Fault {
	var f Fault
	if c.next != nil {
		f = c.next.Inject(call)
	}
	if call.Op >= NumOps {
		return f
	}
	c.calls[call.Op].Add(1)
	switch {
	case f.Errno != 0:
		c.errnos[call.Op][min(int(f.Errno), errnoSlots-1)].Add(1)
	case f.Short > 0 && f.Short < call.Len:
		c.shorts[call.Op].Add(1)
	}
	return f
}

// Calls returns how many calls of op were asked about.
func (c *Counter) Calls(op Op) uint64 {
	if op >= NumOps {
		return 0
	}
	return c.calls[op].Load()
}

// Errnos returns how many calls of op were failed with e.
func (c *Counter) Errnos(op Op, e syscall.Errno) uint64 {
	if op >= NumOps {
		return 0
	}
	return c.errnos[op][min(int(e), errnoSlots-1)].Load()
}

// Shorts returns how many calls of op were cut short.
func (c *Counter) Shorts(op Op) uint64 {
	if op >= NumOps {
		return 0
	}
	return c.shorts[op].Load()
}

// TotalCalls returns how many calls were asked about, of every Op.
func (c *Counter) TotalCalls() uint64 {
	var n uint64
	for op := range NumOps {
		n += c.calls[op].Load()
	}
	return n
}

// Injected returns how many faults were injected, of every Op and kind.
func (c *Counter) Injected() uint64 {
	var n uint64
	for op := range NumOps {
		n += c.shorts[op].Load()
		for e := range errnoSlots {
			n += c.errnos[op][e].Load()
		}
	}
	return n
}

// String lists the faults injected by Op and kind, in the form a report prints:
// "accept EINTR 3, EMFILE 1; read short 5" ("none" when there were none).
func (c *Counter) String() string {
	var b strings.Builder
	for op := range NumOps {
		var parts []string
		for e := range errnoSlots {
			if n := c.errnos[op][e].Load(); n > 0 {
				parts = append(parts, ErrnoName(syscall.Errno(e))+" "+strconv.FormatUint(n, 10))
			}
		}
		if n := c.shorts[op].Load(); n > 0 {
			parts = append(parts, "short "+strconv.FormatUint(n, 10))
		}
		if len(parts) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(op.String() + " " + strings.Join(parts, ", "))
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// ErrnoName returns the symbolic name of the errnos the engine's faults are drawn from
// ("EINTR", "ECONNRESET", ...) and "errno N" for others.
func ErrnoName(e syscall.Errno) string {
	switch e {
	case syscall.EINTR:
		return "EINTR"
	case syscall.EAGAIN:
		return "EAGAIN"
	case syscall.ECONNRESET:
		return "ECONNRESET"
	case syscall.ECONNABORTED:
		return "ECONNABORTED"
	case syscall.EPIPE:
		return "EPIPE"
	case syscall.ETIMEDOUT:
		return "ETIMEDOUT"
	case syscall.ENOBUFS:
		return "ENOBUFS"
	case syscall.ENOMEM:
		return "ENOMEM"
	case syscall.EMFILE:
		return "EMFILE"
	case syscall.ENFILE:
		return "ENFILE"
	case syscall.ENOTCONN:
		return "ENOTCONN"
	case syscall.EIO:
		return "EIO"
	case syscall.ENOSPC:
		return "ENOSPC"
	case syscall.EBADF:
		return "EBADF"
	case syscall.EINVAL:
		return "EINVAL"
	}
	return "errno " + strconv.Itoa(int(e))
}
