package simtest

import (
	"fmt"
	"math/rand/v2"
	"syscall"
)

// FaultRule makes one kind of system call fail, or transfer less, at Rate. Rules are drawn
// with every scenario, so that a seed means the same with or without the gnetfaults tag; only
// a build with the tag installs them (faults_on.go).
type FaultRule struct {
	Index int    // the rule's place in the catalogue, kept through shrinking
	Call  string // accept, read, write, shutdown, close, setsockopt, poll, control, wait
	Errno syscall.Errno
	Short bool    // a short transfer instead of an error
	Rate  float64 // per call
	Fatal bool    // ends the connection that meets it (a reset, a refused registration)
}

// Kind names the fault for counting: "read ECONNRESET", "write short".
func (f FaultRule) Kind() string {
	if f.Short {
		return f.Call + " short"
	}
	return f.Call + " " + errnoName(f.Errno)
}

func (f FaultRule) String() string { return fmt.Sprintf("%s at %.2f%%", f.Kind(), f.Rate*100) }

func errnoName(e syscall.Errno) string {
	names := map[syscall.Errno]string{
		syscall.EINTR: "EINTR", syscall.EAGAIN: "EAGAIN", syscall.ECONNABORTED: "ECONNABORTED",
		syscall.EMFILE: "EMFILE", syscall.ENFILE: "ENFILE", syscall.ENOBUFS: "ENOBUFS",
		syscall.ENOMEM: "ENOMEM", syscall.EIO: "EIO", syscall.ECONNRESET: "ECONNRESET",
		syscall.ETIMEDOUT: "ETIMEDOUT", syscall.EPIPE: "EPIPE", syscall.ENOTCONN: "ENOTCONN",
		syscall.ENOSPC: "ENOSPC",
	}
	if n, ok := names[e]; ok {
		return n
	}
	return e.Error()
}

// faultCatalogue lists every rule a scenario may draw: first the faults the engine must ride
// out (retry, wait, back off), then those that end a connection.
var faultCatalogue = []FaultRule{
	{Call: "accept", Errno: syscall.EINTR},
	{Call: "accept", Errno: syscall.EAGAIN},
	{Call: "accept", Errno: syscall.ECONNABORTED},
	{Call: "accept", Errno: syscall.EMFILE},
	{Call: "accept", Errno: syscall.ENFILE},
	{Call: "accept", Errno: syscall.ENOBUFS},
	{Call: "accept", Errno: syscall.ENOMEM},
	{Call: "read", Errno: syscall.EINTR},
	{Call: "read", Errno: syscall.EAGAIN},
	{Call: "read", Short: true},
	{Call: "write", Errno: syscall.EINTR},
	{Call: "write", Errno: syscall.EAGAIN},
	{Call: "write", Short: true},
	{Call: "close", Errno: syscall.EINTR},
	{Call: "close", Errno: syscall.EIO},
	{Call: "poll", Errno: syscall.EINTR},
	{Call: "poll", Errno: syscall.ENOMEM},
	{Call: "wait", Errno: syscall.EINTR},
	{Call: "read", Errno: syscall.ECONNRESET, Fatal: true},
	{Call: "read", Errno: syscall.ETIMEDOUT, Fatal: true},
	{Call: "write", Errno: syscall.ECONNRESET, Fatal: true},
	{Call: "write", Errno: syscall.EPIPE, Fatal: true},
	{Call: "write", Errno: syscall.ENOBUFS, Fatal: true},
	{Call: "shutdown", Errno: syscall.ENOTCONN, Fatal: true},
	{Call: "setsockopt", Errno: syscall.ENOMEM, Fatal: true},
	{Call: "control", Errno: syscall.ENOMEM, Fatal: true},
	{Call: "control", Errno: syscall.ENOSPC, Fatal: true},
}

// generateFaults draws a scenario's rules: none in one seed of five; otherwise each fault to
// ride out with even odds at 0.5–10 % per call, and in half of those seeds each fault that
// ends connections with even odds at 0.1–1 %.
func generateFaults(r *rand.Rand) []FaultRule {
	if r.IntN(5) == 0 {
		return nil
	}
	fatal := r.IntN(2) == 0
	var rules []FaultRule
	for i, f := range faultCatalogue {
		if r.IntN(2) == 0 || (f.Fatal && !fatal) {
			continue
		}
		f.Index = i
		if f.Fatal {
			f.Rate = float64(logSize(r, 100, 1000)) / 1e5
		} else {
			f.Rate = float64(logSize(r, 50, 1000)) / 1e4
		}
		rules = append(rules, f)
	}
	return rules
}
