package server

import "sync"

// datagramLoop is what a loop that serves datagram sockets keeps for them, made when the
// first datagram arrives: its table of senders and the buffers of its system calls.
type datagramLoop struct {
	peers peerTable
	io    datagramIO
	// handed keeps the datagramOps of other goroutines' sends for reuse.
	handed sync.Pool
}

// readDatagrams hands each waiting datagram on ln to React as one frame, a bounded number per
// readiness, so that a flood on one socket does not starve the loop's other work (what is
// left stays readable and is read at the next turn).
func (el *eventloop) readDatagrams(ln *listener) {
	if el.dgram == nil {
		el.dgram = new(datagramLoop)
		el.dgram.io.init()
		el.dgram.handed.New = func() any { return new(datagramOp) }
	}
	if ln.udp == nil {
		ln.udp = el.setUpDatagramSocket(ln)
	}
	el.receiveDatagrams(ln)
}

// deliverDatagram calls React for one datagram from peer.
//
// hot path: no allocation while peer keeps its connection
func (el *eventloop) deliverDatagram(ln *listener, peer *peerAddr, data []byte) {
	c := el.connFor(ln, peer)
	c.data = data
	el.reactDatagram(c)
	// The datagram lives in the loop's receive buffer; a kept connection must not see it.
	c.data = nil
}
