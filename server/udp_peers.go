package server

// The loop keeps a datagram connection for each recent sender (peerWays × peerSets of them),
// so that a sender that keeps sending gets the same connection value every time and the loop
// allocates nothing for it.
const (
	peerSets = 256 // a power of two
	peerWays = 4
)

// peerTable maps a datagram's sender to its connection: a set-associative table, each sender
// hashed to a set of peerWays slots, a newcomer taking the first slot of its set and pushing
// the set's oldest entry out. Memory stays bounded however many senders there are; a sender
// pushed out just gets a new connection next time, and a handler that kept the old one may go
// on using it (it is never reused for anyone else). Four ways keep a few senders that hash
// to one set from pushing each other out at every datagram.
type peerTable struct {
	sets [peerSets][peerWays]*udpConn
}

// connFor returns the datagram connection of peer on ln.
//
// hot path: no allocation while peer keeps its slot
func (el *eventloop) connFor(ln *listener, peer *peerAddr) *udpConn {
	set := &el.dgram.peers.sets[peer.hash()&(peerSets-1)]
	for _, c := range set {
		if c != nil && c.ln == ln && c.peer == *peer {
			return c
		}
	}
	c := &udpConn{el: el, ln: ln, peer: *peer}
	copy(set[1:], set[:peerWays-1])
	set[0] = c
	return c
}
