package main

import (
	"net"
	"net/netip"
	"sync/atomic"
)

// pool is the set of backends with their health, shared by every event loop and the health
// checkers. Its methods are safe from any goroutine.
type pool struct {
	addrs []string
	// down[i] is set while backend i failed its last check or dial, so that pick skips it.
	down []atomic.Bool
	// target[i] is the IP:port a relay dials for backend i. DialFrom resolves names on the
	// event loop, where a slow DNS answer would stall every connection of that loop, so names
	// are resolved by the health checker and a backend is skipped until its name resolves.
	target []atomic.Pointer[string]
	// next is the round-robin cursor: each new frontend starts its search one further on.
	next atomic.Uint64
	// logf reports state changes; nil when quiet.
	logf func(format string, args ...any)
}

func newPool(addrs []string, logf func(format string, args ...any)) *pool {
	p := &pool{addrs: addrs, down: make([]atomic.Bool, len(addrs)), target: make([]atomic.Pointer[string], len(addrs)), logf: logf}
	for i, addr := range addrs {
		if host, _, err := net.SplitHostPort(addr); err == nil {
			if _, err := netip.ParseAddr(host); err == nil {
				p.target[i].Store(&addrs[i])
			}
		}
	}
	return p
}

// start returns where a new frontend's search for a backend begins, one further on than the
// previous frontend's, so that connections spread round-robin.
func (p *pool) start() int {
	return int((p.next.Add(1) - 1) % uint64(len(p.addrs)))
}

// pick returns the first healthy backend at offset or after it from start (offsets wrap
// around the list and end at len(addrs)), with its offset; ok is false when none is left.
func (p *pool) pick(start, offset int) (index, at int, ok bool) {
	for at = offset; at < len(p.addrs); at++ {
		index = (start + at) % len(p.addrs)
		if !p.down[index].Load() && p.target[index].Load() != nil {
			return index, at, true
		}
	}
	return 0, 0, false
}

// dialTarget returns the IP:port to dial for backend i; pick returns only backends that have one.
func (p *pool) dialTarget(i int) string { return *p.target[i].Load() }

// resolved records the IP:port a check reached backend i at, for relays to dial.
func (p *pool) resolved(i int, target string) {
	if current := p.target[i].Load(); current == nil || *current != target {
		p.target[i].Store(&target)
	}
}

// healthy reports whether backend i passed its last check or dial.
func (p *pool) healthy(i int) bool { return !p.down[i].Load() }

// markDown takes backend i out of rotation until a check passes; reason is what failed.
func (p *pool) markDown(i int, reason error) {
	if p.down[i].CompareAndSwap(false, true) && p.logf != nil {
		p.logf("proxy: backend %s down: %v", p.addrs[i], reason)
	}
}

// markUp puts backend i back into rotation.
func (p *pool) markUp(i int) {
	if p.down[i].CompareAndSwap(true, false) && p.logf != nil {
		p.logf("proxy: backend %s up", p.addrs[i])
	}
}
