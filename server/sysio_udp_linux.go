package server

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The loop's datagram batches. Every buffer is made once per loop and reused by every call.
const (
	// recvBatch is the messages one recvmmsg(2) asks for, and recvCalls the calls per
	// readiness at most: 64 datagrams, more with UDP_GRO, before the loop turns to its other
	// work (what is left stays readable for the next turn).
	recvBatch = 32
	recvCalls = 2
	// recvSlot is the bytes of one message: any datagram, or a UDP_GRO run, fits whole. The
	// kernel touches only the pages a message fills, so small datagrams keep the batch's
	// memory small.
	recvSlot = 64 << 10
	// sendSlots is the replies a turn queues before they are sent early, and sendArena the
	// bytes they may hold together (at least one datagram of the largest size).
	sendSlots = 64
	sendArena = 256 << 10
	// maxGSOSegments is the most datagrams one UDP_SEGMENT send carries: the kernel's
	// UDP_MAX_SEGMENTS on older kernels (newer ones allow 128).
	maxGSOSegments = 64
)

// Test hooks that make the kernel's refusals happen on demand: refuseUDPOffload makes the
// sockets' UDP_GRO and UDP_SEGMENT set-up fail; failGSOSends, when not 0, is the error every
// UDP_SEGMENT send fails with (EIO, as from a device without checksum offload; EINVAL, as for
// segments larger than the route's MTU).
var (
	refuseUDPOffload atomic.Bool
	failGSOSends     atomic.Uint32
)

// udpSocket is the state of a datagram socket, owned by the one loop that reads it.
type udpSocket struct {
	// gro and gso say whether the kernel coalesces what it receives (UDP_GRO) and whether
	// replies may leave as one segmented send (UDP_SEGMENT).
	gro, gso bool
	// gsoRefused is the smallest segment size the kernel refused (EINVAL: larger than the
	// route's MTU allows), 0 for none: runs of that size or more are not segmented again.
	gsoRefused int
}

// controlBuf holds one control message of an int (UDP_GRO's segment size, UDP_SEGMENT's),
// aligned for its header.
type controlBuf [4]uint64

// queuedDatagram is one reply waiting in the loop's batch: its socket, its destination, and
// where its bytes are in the batch's arena.
type queuedDatagram struct {
	ln       *listener
	peer     peerAddr
	off, len int
}

// sendGroup is what one message of a sendmmsg carries: queued datagrams first to
// first+count-1, with the segment size when count > 1 (a UDP_SEGMENT send).
type sendGroup struct {
	first, count, segment int
}

// datagramIO holds the buffers of a loop's datagram system calls.
type datagramIO struct {
	recvBuf   []byte
	recvHdrs  [recvBatch]unix.Mmsghdr
	recvIovs  [recvBatch]unix.Iovec
	recvNames [recvBatch]unix.RawSockaddrInet6 // large enough for either family
	recvCtrl  [recvBatch]controlBuf

	// queued replies, their bytes in arena[:used]
	queued    [sendSlots]queuedDatagram
	nQueued   int
	arena     []byte
	used      int
	sendHdrs  [sendSlots]unix.Mmsghdr
	sendIovs  [sendSlots]unix.Iovec
	sendNames [sendSlots]unix.RawSockaddrInet6
	sendCtrl  [sendSlots]controlBuf
	groups    [sendSlots]sendGroup
	// lastSendErr is the last send error logged: a storm of one error (a full socket buffer)
	// is logged once, not once a datagram.
	lastSendErr unix.Errno
}

// init makes the buffers and points the message headers at them, once.
func (io *datagramIO) init() {
	io.recvBuf = make([]byte, recvBatch*recvSlot)
	io.arena = make([]byte, sendArena)
	for i := range io.recvHdrs {
		io.recvIovs[i].Base = &io.recvBuf[i*recvSlot]
		io.recvIovs[i].SetLen(recvSlot)
		h := &io.recvHdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&io.recvNames[i]))
		h.Iov = &io.recvIovs[i]
		h.SetIovlen(1)
		h.Control = (*byte)(unsafe.Pointer(&io.recvCtrl[i]))
	}
	for i := range io.sendHdrs {
		h := &io.sendHdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&io.sendNames[i]))
		h.Iov = &io.sendIovs[i]
		h.SetIovlen(1)
		h.Control = (*byte)(unsafe.Pointer(&io.sendCtrl[i]))
	}
}

// setUpDatagramSocket turns on what the options ask for and the kernel allows on ln. A refusal
// turns that offload off for the socket, logged once.
func (el *eventloop) setUpDatagramSocket(ln *listener) *udpSocket {
	s := &udpSocket{}
	if el.cfg.UDPGRO {
		err := error(unix.ENOPROTOOPT)
		if !refuseUDPOffload.Load() {
			err = unix.SetsockoptInt(ln.fd, unix.SOL_UDP, unix.UDP_GRO, 1)
		}
		if err != nil {
			el.cfg.logger.Warnf("gnet: loop %d: UDP_GRO on %s refused (%v): receiving datagrams one by one", el.idx, ln.ep, err)
		}
		s.gro = err == nil
	}
	if el.cfg.UDPGSO {
		// Reading the option tells whether the kernel has it (Linux 4.18 and later).
		err := error(unix.ENOPROTOOPT)
		if !refuseUDPOffload.Load() {
			_, err = unix.GetsockoptInt(ln.fd, unix.SOL_UDP, unix.UDP_SEGMENT)
		}
		if err != nil {
			el.cfg.logger.Warnf("gnet: loop %d: UDP_SEGMENT on %s refused (%v): sending datagrams one by one", el.idx, ln.ep, err)
		}
		s.gso = err == nil
	}
	return s
}

// receiveDatagrams reads the datagrams waiting on ln with recvmmsg(2), a batch a call, made
// as raw system calls: the socket is non-blocking, and a raw call skips the scheduler's
// bookkeeping. With UDP_GRO a message may hold a run of datagrams from one sender, all of the
// size the control message gives but a shorter last one; each goes to React on its own.
func (el *eventloop) receiveDatagrams(ln *listener) {
	// hot path: no allocation
	io := &el.dgram.io
	controlLen := 0
	if ln.udp.gro {
		controlLen = unix.CmsgSpace(4)
	}
	var peer peerAddr
	for range recvCalls {
		for i := range io.recvHdrs {
			h := &io.recvHdrs[i].Hdr
			h.Namelen = unix.SizeofSockaddrInet6
			h.SetControllen(controlLen)
			h.Flags = 0
		}
		r, _, errno := unix.RawSyscall6(unix.SYS_RECVMMSG, uintptr(ln.fd),
			uintptr(unsafe.Pointer(&io.recvHdrs[0])), recvBatch, 0, 0, 0)
		if errno != 0 {
			if errno == unix.EINTR {
				continue
			}
			if errno != unix.EAGAIN {
				el.cfg.logger.Warnf("gnet: loop %d: recvmmsg on %s: %v", el.idx, ln.ep, errno)
			}
			return
		}
		n := int(r)
		total := 0
		for i := range n {
			total += int(io.recvHdrs[i].Len)
		}
		el.stats.noteRead(total)
		for i := range n {
			m := &io.recvHdrs[i]
			if !peerFromRaw(&io.recvNames[i], &peer) {
				continue // not an inet sender: nothing to answer
			}
			data := io.recvBuf[i*recvSlot : i*recvSlot+int(m.Len)]
			segment := 0
			if controlLen > 0 {
				segment = groSegment(&io.recvCtrl[i], int(m.Hdr.Controllen))
			}
			el.deliverRun(ln, &peer, data, segment)
		}
		if n < recvBatch {
			return
		}
	}
}

// deliverRun hands data to React as datagrams of segment bytes each (the last may be
// shorter), or whole when segment is 0 or not smaller.
//
// hot path: no allocation
func (el *eventloop) deliverRun(ln *listener, peer *peerAddr, data []byte, segment int) {
	if segment <= 0 || segment >= len(data) {
		el.deliverDatagram(ln, peer, data)
		return
	}
	for off := 0; off < len(data); off += segment {
		el.deliverDatagram(ln, peer, data[off:min(off+segment, len(data))])
	}
}

// groSegment returns the segment size of a UDP_GRO control message among the controlLen bytes
// of control, or 0 when there is none (the datagram was not coalesced).
func groSegment(control *controlBuf, controlLen int) int {
	// hot path: no allocation
	b := unsafe.Slice((*byte)(unsafe.Pointer(control)), unsafe.Sizeof(*control))
	b = b[:min(max(controlLen, 0), len(b))]
	header := unix.CmsgLen(0)
	for len(b) >= header {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
		l := int(h.Len)
		if l < header || l > len(b) {
			return 0
		}
		if h.Level == unix.SOL_UDP && h.Type == unix.UDP_GRO && l >= unix.CmsgLen(4) {
			return int(*(*int32)(unsafe.Pointer(&b[header])))
		}
		next := unix.CmsgSpace(l - header)
		if next > len(b) {
			return 0
		}
		b = b[next:]
	}
	return 0
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
