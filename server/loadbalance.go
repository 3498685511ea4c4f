package server

import (
	"golang.org/x/sys/unix"
)

// loadBalancer picks the loop that serves a newly accepted connection. Only the acceptor's
// goroutine calls pick.
type loadBalancer interface {
	pick(remote unix.Sockaddr) *eventloop
}

func newLoadBalancer(policy LoadBalancing, loops []*eventloop) loadBalancer {
	switch policy {
	case LeastConnections:
		return leastConnections(loops)
	case SourceAddrHash:
		return sourceAddrHash(loops)
	default:
		return &roundRobin{loops: loops}
	}
}

// roundRobin hands connections to the loops in turn.
type roundRobin struct {
	loops []*eventloop
	next  int
}

func (rr *roundRobin) pick(unix.Sockaddr) *eventloop {
	el := rr.loops[rr.next]
	rr.next = (rr.next + 1) % len(rr.loops)
	return el
}

// leastConnections hands each connection to the loop with the fewest, counting connections
// handed over but not yet registered.
type leastConnections []*eventloop

func (lc leastConnections) pick(unix.Sockaddr) *eventloop {
	best := lc[0]
	for _, el := range lc[1:] {
		if el.connCount.Load() < best.connCount.Load() {
			best = el
		}
	}
	return best
}

// sourceAddrHash hands every connection from one IP address to the same loop, so that state
// kept per client on a loop needs no locking.
type sourceAddrHash []*eventloop

func (sh sourceAddrHash) pick(remote unix.Sockaddr) *eventloop {
	var ip []byte
	switch a := remote.(type) {
	case *unix.SockaddrInet4:
		ip = a.Addr[:]
	case *unix.SockaddrInet6:
		ip = a.Addr[:]
	case *unix.SockaddrUnix:
		ip = []byte(a.Name)
	}
	// FNV-1a: cheap and spreads addresses that differ in one byte.
	h := uint32(2166136261)
	for _, b := range ip {
		h ^= uint32(b)
		h *= 16777619
	}
	return sh[h%uint32(len(sh))]
}
