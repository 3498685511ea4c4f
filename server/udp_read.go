package server

import (
	"golang.org/x/sys/unix"
)

// datagramBatch bounds the datagrams read per readiness event, so that a flood on one socket
// does not starve the loop's other work.
const datagramBatch = 64

// readDatagrams hands each waiting datagram on ln to React as one frame.
func (el *eventloop) readDatagrams(ln *listener) {
	for range datagramBatch {
		n, sa, err := unix.Recvfrom(ln.fd, el.readBuf, 0)
		if err != nil {
			if err != unix.EAGAIN && err != unix.EINTR {
				el.cfg.logger.Warnf("gnet: loop %d: recvfrom on %s: %v", el.idx, ln.ep, err)
			}
			if err == unix.EINTR {
				continue
			}
			return
		}
		el.stats.noteRead(n)
		c := &udpConn{el: el, ln: ln, remote: sa, data: el.readBuf[:n]}
		el.reactDatagram(c)
		// The datagram lives in the shared read buffer; a kept udpConn must not see it.
		c.data = nil
	}
}
