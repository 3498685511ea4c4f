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
