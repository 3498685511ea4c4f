//go:build gnetfaults

package faulttest

import (
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// rule injects fault into the calls of op it matches: every every-th of them (every call when
// every is 0 or 1), after letting the first skip through, at most limit times (no limit when
// 0). A rule with onTarget matches only calls on the plan's target descriptor, one with
// onListener only calls on the listener's.
type rule struct {
	op         sysfault.Op
	fault      sysfault.Fault
	every      int
	skip       int
	limit      int
	onTarget   bool
	onListener bool
}

// plan is a deterministic sysfault.Injector over a list of rules; the first rule that injects
// decides a call's fault. It learns the listener's descriptor from the accept calls and, once
// armed, takes the first descriptor it had not seen before as its target: a test arms it
// before its victim connects, with no other connection opening or closing meanwhile.
type plan struct {
	mu       sync.Mutex
	rules    []rule
	matched  []int
	injected []int
	listener int
	armed    bool
	target   int
	known    map[int]bool
}

// listening reports whether fd is a listening socket: a loop may still be registering its
// listener when Serve has returned.
func listening(fd int) bool {
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
	return err == nil && v != 0
}

// inject installs a plan of rules, counted by a sysfault.Counter, until the test ends. Call it
// once the server is serving: a rule on the poller's control would otherwise refuse the
// listeners' first registration.
func inject(t *testing.T, rules ...rule) (*plan, *sysfault.Counter) {
	t.Helper()
	p := &plan{
		rules:    rules,
		matched:  make([]int, len(rules)),
		injected: make([]int, len(rules)),
		listener: -1,
		target:   -1,
		known:    map[int]bool{},
	}
	counter := sysfault.NewCounter(p)
	t.Cleanup(sysfault.Install(counter))
	return p, counter
}

// arm makes the next descriptor the plan has not seen its target.
func (p *plan) arm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = true
}

func (p *plan) Inject(c sysfault.Call) sysfault.Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case c.Op == sysfault.OpAccept:
		p.listener = c.FD
	case c.FD < 0 || c.Op == sysfault.OpWait || c.Op == sysfault.OpPoll:
	case !p.known[c.FD] && p.armed && p.target < 0 && c.FD != p.listener && !listening(c.FD):
		p.target = c.FD
	default:
		p.known[c.FD] = true
	}
	fault := sysfault.Fault{}
	for i, r := range p.rules {
		if r.op != c.Op || (r.onTarget && c.FD != p.target) || (r.onListener && c.FD != p.listener) {
			continue
		}
		p.matched[i]++
		n := p.matched[i] - r.skip
		if n <= 0 || (r.limit > 0 && p.injected[i] >= r.limit) || (r.every > 1 && n%r.every != 0) {
			continue
		}
		if fault == (sysfault.Fault{}) {
			p.injected[i]++
			fault = r.fault
		}
	}
	return fault
}
