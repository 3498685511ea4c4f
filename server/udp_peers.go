package server

// peerSlots is the number of datagram connections a loop keeps, one per recent sender, so that
// a sender that keeps sending gets the same connection value every time and the loop allocates
// nothing for it. A power of two.
const peerSlots = 1024

// peerTable maps a datagram's sender to its connection: a direct-mapped table, each sender
// hashed to one slot, a newcomer replacing whoever held its slot. Memory stays bounded
// however many senders there are; a sender that loses its slot just gets a new connection
// next time, and a handler that kept the old one may go on using it (it is never reused for
// anyone else).
type peerTable struct {
	slots [peerSlots]*udpConn
}

// connFor returns the datagram connection of peer on ln.
//
// hot path: no allocation while peer keeps its slot
func (el *eventloop) connFor(ln *listener, peer *peerAddr) *udpConn {
	slot := &el.dgram.peers.slots[peer.hash()&(peerSlots-1)]
	if c := *slot; c != nil && c.ln == ln && c.peer == *peer {
		return c
	}
	c := &udpConn{el: el, ln: ln, peer: *peer}
	*slot = c
	return c
}
