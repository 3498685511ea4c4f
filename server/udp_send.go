package server

import "golang.org/x/sys/unix"

// Largest datagram payloads: 65,535 bytes of IP packet less the headers, 20 bytes of IPv4
// (the IPv6 header is not counted in its payload length) and 8 of UDP.
const (
	maxDatagramIPv4 = 65535 - 20 - 8
	maxDatagramIPv6 = 65535 - 8
)

// sendDatagramTo sends buf as one datagram to peer from ln, from any goroutine: it joins the
// loop's batch of replies, sent with one sendmmsg at the end of the turn (queueDatagram). From
// another goroutine it is copied and handed to the loop as a task; the loop's wake-up is
// shared with the other tasks of its turn. Measured against a sendto of its own from that
// goroutine (BenchmarkUDPEchoFromGoroutine*, alternated 3–4 times): 0.93× the process CPU per
// datagram with 16 × 8 in flight, no difference at one in flight, where the reply even came
// sooner (62–70 µs a round trip against 77–82), because the loop that just read the request
// is still awake. Where there is no batch (the BSDs), it is sent at once with sendto, which
// on one socket from many threads is safe: each call is one whole datagram.
//
// The loop makes el.dgram before any connection exists, so before any call from another
// goroutine (which holds a connection).
func (el *eventloop) sendDatagramTo(ln *listener, peer *peerAddr, buf []byte) error {
	if tooLarge(peer, buf) {
		return syscallErr("sendto", unix.EMSGSIZE)
	}
	switch {
	case el.onLoop():
		return el.queueDatagram(ln, peer, buf)
	case el.halted.Load():
		// The server stopped; its sockets are closed or about to be.
		return ErrServerShutdown
	case batchesSends:
		return el.handDatagramToLoop(ln, peer, buf)
	}
	return el.sendDatagramNow(ln, peer, buf)
}

// datagramOp is a datagram another goroutine hands to the loop's batch.
type datagramOp struct {
	el   *eventloop
	ln   *listener
	peer peerAddr
	data []byte
}

// handDatagramToLoop copies buf for the loop, which queues it with the turn's replies.
//
// hot path: no allocation once the loop's pool of datagramOps is warm
func (el *eventloop) handDatagramToLoop(ln *listener, peer *peerAddr, buf []byte) error {
	op := el.dgram.handed.Get().(*datagramOp)
	op.el, op.ln, op.peer = el, ln, *peer
	op.data = append(op.data[:0], buf...)
	if err := el.trigger(runHandedDatagram, op); err != nil {
		el.dgram.handed.Put(op)
		return err
	}
	return nil
}

// runHandedDatagram queues a datagram another goroutine handed over, on the loop.
func runHandedDatagram(arg any) error {
	op := arg.(*datagramOp)
	el := op.el
	// Its size was checked before it was handed over: queueing cannot fail.
	_ = el.queueDatagram(op.ln, &op.peer, op.data)
	el.dgram.handed.Put(op)
	return nil
}

// sendDatagramFlushed sends buf to peer from ln at once, from any goroutine, and returns the
// kernel's verdict; on the loop the replies batched before it leave first.
func (el *eventloop) sendDatagramFlushed(ln *listener, peer *peerAddr, buf []byte) error {
	if el.dgram != nil && el.onLoop() {
		el.flushDatagrams()
	}
	return el.sendDatagramNow(ln, peer, buf)
}

// sendDatagramNow sends buf to peer from ln with one sendto and counts it.
func (el *eventloop) sendDatagramNow(ln *listener, peer *peerAddr, buf []byte) error {
	if tooLarge(peer, buf) {
		return syscallErr("sendto", unix.EMSGSIZE)
	}
	if err := sendtoPeer(ln.fd, peer, buf); err != nil {
		return syscallErr("sendto", err)
	}
	el.stats.framesOut.Add(1)
	el.stats.noteSent(len(buf))
	return nil
}

// tooLarge reports whether buf cannot be one datagram to peer.
func tooLarge(peer *peerAddr, buf []byte) bool {
	return len(buf) > datagramLimit(peer)
}

// datagramLimit is the largest datagram to peer.
func datagramLimit(peer *peerAddr) int {
	if peer.v6 {
		return maxDatagramIPv6
	}
	return maxDatagramIPv4
}
