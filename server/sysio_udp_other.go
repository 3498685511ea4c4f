//go:build !linux

package server

import "golang.org/x/sys/unix"

// recvRounds bounds the receive system calls per readiness of a datagram socket.
const recvRounds = 64

// datagramIO holds the buffer of a loop's datagram receives. The BSDs and macOS have neither
// UDP_GRO nor UDP_SEGMENT, and darwin allows system calls only through libc, so datagrams go
// through golang.org/x/sys's recvfrom and sendto, one a datagram.
type datagramIO struct {
	buf []byte
}

// udpSocket is the state of a datagram socket: none here, where there is no offload to turn on.
type udpSocket struct{}

// init makes the receive buffer, large enough for any datagram.
func (io *datagramIO) init() { io.buf = make([]byte, 64<<10) }

// setUpDatagramSocket prepares ln for the loop's datagram system calls: there is nothing to
// turn on here.
func (el *eventloop) setUpDatagramSocket(*listener) *udpSocket { return &udpSocket{} }

// receiveDatagrams reads the datagrams waiting on ln, one recvfrom(2) each.
func (el *eventloop) receiveDatagrams(ln *listener) {
	buf := el.dgram.io.buf
	for range recvRounds {
		n, sa, err := unix.Recvfrom(ln.fd, buf, 0)
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			if err != unix.EAGAIN {
				el.cfg.logger.Warnf("gnet: loop %d: recvfrom on %s: %v", el.idx, ln.ep, err)
			}
			return
		}
		el.stats.noteRead(n)
		peer, ok := peerFromSockaddr(sa)
		if !ok {
			continue // not an inet sender: nothing to answer
		}
		el.deliverDatagram(ln, &peer, buf[:n])
	}
}

// queueDatagram sends buf to peer from the loop, at once.
func (el *eventloop) queueDatagram(ln *listener, peer *peerAddr, buf []byte) error {
	return el.sendDatagramNow(ln, peer, buf)
}

// batchesSends is true where the loop gathers a turn's replies into one system call; here
// every datagram is sent when it is written.
const batchesSends = false

// flushDatagrams has nothing to do: every datagram was sent when it was written.
func (el *eventloop) flushDatagrams() {}

// sendtoPeer sends buf to peer on fd with one sendto(2).
func sendtoPeer(fd int, peer *peerAddr, buf []byte) error {
	for {
		err := unix.Sendto(fd, buf, 0, peer.sockaddr())
		if err != unix.EINTR {
			return err
		}
	}
}

// sockaddr returns the peer as golang.org/x/sys's socket address, for the system-call wrappers
// of the platforms without raw calls; it allocates.
func (p *peerAddr) sockaddr() unix.Sockaddr {
	if !p.v6 {
		sa := &unix.SockaddrInet4{Port: int(p.port)}
		copy(sa.Addr[:], p.ip[:4])
		return sa
	}
	return &unix.SockaddrInet6{Port: int(p.port), ZoneId: p.zone, Addr: p.ip}
}

// peerFromSockaddr converts a socket address from golang.org/x/sys; it reports false for
// anything but IPv4 and IPv6.
func peerFromSockaddr(sa unix.Sockaddr) (peerAddr, bool) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		p := peerAddr{port: uint16(a.Port)}
		copy(p.ip[:4], a.Addr[:])
		return p, true
	case *unix.SockaddrInet6:
		return peerAddr{ip: a.Addr, zone: a.ZoneId, port: uint16(a.Port), v6: true}, true
	}
	return peerAddr{}, false
}
