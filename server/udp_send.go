package server

import "golang.org/x/sys/unix"

// Largest datagram payloads: 65,535 bytes of IP packet less the headers, 20 bytes of IPv4
// (the IPv6 header is not counted in its payload length) and 8 of UDP.
const (
	maxDatagramIPv4 = 65535 - 20 - 8
	maxDatagramIPv6 = 65535 - 8
)

// sendDatagramTo sends buf as one datagram to peer from ln, from any goroutine: on the loop it
// joins the loop's batch of replies (queueDatagram), elsewhere it is sent at once. A send from
// another goroutine does not go through the loop because a handoff would cost at least the
// system call it saves (the loop's wake-up) plus a copy, and sendto on one socket from many
// threads is safe: each call is one whole datagram.
func (el *eventloop) sendDatagramTo(ln *listener, peer *peerAddr, buf []byte) error {
	if el.dgram != nil && el.onLoop() {
		if tooLarge(peer, buf) {
			return syscallErr("sendto", unix.EMSGSIZE)
		}
		return el.queueDatagram(ln, peer, buf)
	}
	return el.sendDatagramNow(ln, peer, buf)
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
