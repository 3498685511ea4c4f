package server

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvRounds bounds the receive system calls per readiness of a datagram socket.
const recvRounds = 64

// datagramIO holds the buffers of a loop's datagram system calls, reused by every call.
type datagramIO struct {
	buf  []byte
	name unix.RawSockaddrInet6 // large enough for either family
}

// setUpDatagramSocket prepares ln for the loop's datagram system calls.
func (el *eventloop) setUpDatagramSocket(*listener) *udpSocket {
	el.dgram.io.buf = make([]byte, 64<<10)
	return &udpSocket{}
}

// receiveDatagrams reads the datagrams waiting on ln with recvfrom(2), made as raw system
// calls: the socket is non-blocking, and a raw call skips the scheduler's bookkeeping, and
// the address arrives in a reused buffer instead of an allocated unix.Sockaddr.
func (el *eventloop) receiveDatagrams(ln *listener) {
	// hot path: no allocation
	io := &el.dgram.io
	var peer peerAddr
	for range recvRounds {
		nameLen := uint32(unsafe.Sizeof(io.name))
		n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(ln.fd),
			uintptr(unsafe.Pointer(&io.buf[0])), uintptr(len(io.buf)), 0,
			uintptr(unsafe.Pointer(&io.name)), uintptr(unsafe.Pointer(&nameLen)))
		if errno != 0 {
			if errno == unix.EINTR {
				continue
			}
			if errno != unix.EAGAIN {
				el.cfg.logger.Warnf("gnet: loop %d: recvfrom on %s: %v", el.idx, ln.ep, errno)
			}
			return
		}
		el.stats.noteRead(int(n))
		if !peerFromRaw(&io.name, &peer) {
			continue // not an inet sender: nothing to answer
		}
		el.deliverDatagram(ln, &peer, io.buf[:n])
	}
}

// queueDatagram sends buf to peer from the loop.
func (el *eventloop) queueDatagram(ln *listener, peer *peerAddr, buf []byte) error {
	if err := sendDatagramNow(ln.fd, peer, buf); err != nil {
		return syscallErr("sendto", err)
	}
	el.stats.framesOut.Add(1)
	el.stats.noteSent(len(buf))
	return nil
}

// flushDatagrams sends the replies the turn queued.
func (el *eventloop) flushDatagrams() {}

// sendDatagramNow sends buf to peer on fd with one sendto(2), a raw system call with the
// address built on the stack.
func sendDatagramNow(fd int, peer *peerAddr, buf []byte) error {
	// hot path: no allocation
	var name unix.RawSockaddrInet6
	nameLen := peer.toRaw(&name)
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	for {
		_, _, errno := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(p), uintptr(len(buf)), 0,
			uintptr(unsafe.Pointer(&name)), uintptr(nameLen))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return errno
		}
		return nil
	}
}

// peerFromRaw reads the kernel's socket address into p; it reports false for anything but
// IPv4 and IPv6.
func peerFromRaw(name *unix.RawSockaddrInet6, p *peerAddr) bool {
	// hot path: no allocation
	switch name.Family {
	case unix.AF_INET:
		in4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(name))
		*p = peerAddr{port: uint16(networkPort(&in4.Port))}
		copy(p.ip[:4], in4.Addr[:])
		return true
	case unix.AF_INET6:
		*p = peerAddr{ip: name.Addr, zone: name.Scope_id, port: uint16(networkPort(&name.Port)), v6: true}
		return true
	}
	return false
}

// toRaw writes p as the kernel's socket address into name and returns its length.
func (p *peerAddr) toRaw(name *unix.RawSockaddrInet6) uint32 {
	// hot path: no allocation
	if !p.v6 {
		in4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(name))
		*in4 = unix.RawSockaddrInet4{Family: unix.AF_INET}
		setNetworkPort(&in4.Port, p.port)
		copy(in4.Addr[:], p.ip[:4])
		return unix.SizeofSockaddrInet4
	}
	*name = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: p.ip, Scope_id: p.zone}
	setNetworkPort(&name.Port, p.port)
	return unix.SizeofSockaddrInet6
}

// setNetworkPort stores port in network byte order.
func setNetworkPort(dst *uint16, port uint16) {
	b := (*[2]byte)(unsafe.Pointer(dst))
	b[0], b[1] = byte(port>>8), byte(port)
}
