//go:build linux

package main

import (
	"encoding/binary"
	"net"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// udpOffloadSupported: Linux has UDP_SEGMENT (GSO, 4.18) and UDP_GRO (5.0).
const udpOffloadSupported = true

const (
	// maxRecvBatch bounds the datagrams (without GRO) or coalesced buffers (with GRO) one
	// recvmmsg takes; each coalesced buffer holds up to 64 KiB.
	maxRecvBatch      = 64
	maxRecvBatchGRO   = 16
	groBufferBytes    = 1 << 16
	udpSegmentCmsgLen = 2 // UDP_SEGMENT takes a uint16
	udpGROCmsgLen     = 4 // UDP_GRO reports an int
)

// udpSocket is one connected UDP socket of the load, driven by one goroutine. It sends every
// datagram of a turn with one sendmmsg, grouped into GSO batches when asked, and takes every
// reply that is waiting with one recvmmsg, splitting coalesced (GRO) receives by their
// segment size. Both system calls run through the socket's syscall.RawConn, so a socket with
// nothing to read parks its goroutine on the runtime's poller, and read deadlines work.
type udpSocket struct {
	conn *net.UDPConn
	raw  syscall.RawConn
	gro  bool

	// gsoBatch is the most datagrams of one sendmmsg entry; 1 sends each on its own.
	gsoBatch   int
	sendIovecs []unix.Iovec
	sendHdrs   []unix.Mmsghdr
	unsent     []unix.Mmsghdr
	segmentMsg []byte // UDP_SEGMENT control message, the datagram size
	sendErr    error
	sendFunc   func(fd uintptr) bool

	recvBufs   [][]byte
	recvIovecs []unix.Iovec
	recvHdrs   []unix.Mmsghdr
	recvCmsgs  [][]byte
	received   int
	recvErr    error
	recvFunc   func(fd uintptr) bool
}

// newUDPSocket opens a UDP socket connected to server for datagrams of cfg.size bytes, at
// most cfg.inflight of them in flight.
func newUDPSocket(cfg config, server *net.UDPAddr) (*udpSocket, error) {
	conn, err := net.DialUDP(cfg.network, nil, server)
	if err != nil {
		return nil, err
	}
	s := &udpSocket{conn: conn, gro: cfg.gro, gsoBatch: max(cfg.gsoBatch, 1)}
	if s.raw, err = conn.SyscallConn(); err != nil {
		return nil, closeAfter(conn, err)
	}
	if err := s.configure(cfg); err != nil {
		return nil, closeAfter(conn, err)
	}
	s.prepareSend(cfg)
	s.prepareReceive(cfg)
	return s, nil
}

// closeAfter closes conn, which failed to be set up with err, and returns err.
func closeAfter(conn *net.UDPConn, err error) error {
	// The socket is being discarded; err is what the caller needs to hear.
	_ = conn.Close()
	return err
}

// configure turns on GRO when asked, and makes the receive buffer hold a full window of
// replies, so that the client never drops what the server answered (the kernel caps the
// size at net.core.rmem_max).
func (s *udpSocket) configure(cfg config) error {
	if cfg.gro {
		var sockErr error
		err := s.raw.Control(func(fd uintptr) {
			sockErr = unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 1)
		})
		if err == nil && sockErr != nil {
			err = os.NewSyscallError("setsockopt UDP_GRO", sockErr)
		}
		if err != nil {
			return err
		}
	}
	// A small datagram takes about a kilobyte of the buffer's accounting (its skb).
	return s.conn.SetReadBuffer(max(2*cfg.inflight*(cfg.size+1024), 256<<10))
}

func (s *udpSocket) prepareSend(cfg config) {
	s.sendIovecs = make([]unix.Iovec, cfg.inflight)
	s.sendHdrs = make([]unix.Mmsghdr, cfg.inflight)
	s.segmentMsg = make([]byte, unix.CmsgSpace(udpSegmentCmsgLen))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&s.segmentMsg[0]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(udpSegmentCmsgLen))
	binary.NativeEndian.PutUint16(s.segmentMsg[unix.CmsgLen(0):], uint16(cfg.size))
	s.sendFunc = s.sendUnsent
}

func (s *udpSocket) prepareReceive(cfg config) {
	batch, bufBytes := min(cfg.inflight, maxRecvBatch), cfg.size+1
	if cfg.gro {
		batch, bufBytes = min(cfg.inflight, maxRecvBatchGRO), groBufferBytes
	}
	s.recvBufs = make([][]byte, batch)
	s.recvIovecs = make([]unix.Iovec, batch)
	s.recvHdrs = make([]unix.Mmsghdr, batch)
	s.recvCmsgs = make([][]byte, batch)
	for i := range batch {
		// One byte more than a datagram of the load: a longer reply shows as longer.
		s.recvBufs[i] = make([]byte, bufBytes)
		s.recvIovecs[i].Base = &s.recvBufs[i][0]
		s.recvIovecs[i].SetLen(bufBytes)
		s.recvHdrs[i].Hdr.Iov = &s.recvIovecs[i]
		s.recvHdrs[i].Hdr.SetIovlen(1)
		if cfg.gro {
			s.recvCmsgs[i] = make([]byte, unix.CmsgSpace(udpGROCmsgLen))
			s.recvHdrs[i].Hdr.Control = &s.recvCmsgs[i][0]
		}
	}
	s.recvFunc = s.receiveWaiting
}

// send sends datagrams, in GSO batches of up to gsoBatch when that is more than one.
//
// hot path: no allocation
func (s *udpSocket) send(datagrams [][]byte) error {
	entries := 0
	for start := 0; start < len(datagrams); start += s.gsoBatch {
		end := min(start+s.gsoBatch, len(datagrams))
		for i := start; i < end; i++ {
			s.sendIovecs[i].Base = &datagrams[i][0]
			s.sendIovecs[i].SetLen(len(datagrams[i]))
		}
		h := &s.sendHdrs[entries].Hdr
		h.Iov = &s.sendIovecs[start]
		h.SetIovlen(end - start)
		h.Control = nil
		h.SetControllen(0)
		if end-start > 1 {
			h.Control = &s.segmentMsg[0]
			h.SetControllen(len(s.segmentMsg))
		}
		entries++
	}
	s.unsent = s.sendHdrs[:entries]
	if err := s.raw.Write(s.sendFunc); err != nil {
		return err
	}
	return s.sendErr
}

// sendUnsent is send's syscall.RawConn callback: it reports false to wait until the socket
// is writable.
func (s *udpSocket) sendUnsent(fd uintptr) bool {
	s.sendErr = nil
	for len(s.unsent) > 0 {
		// The socket is non-blocking: the call returns at once, so RawSyscall6 may skip
		// the scheduler's system-call bookkeeping.
		n, _, errno := unix.RawSyscall6(unix.SYS_SENDMMSG, fd,
			uintptr(unsafe.Pointer(&s.unsent[0])), uintptr(len(s.unsent)), 0, 0, 0)
		switch errno {
		case 0:
			s.unsent = s.unsent[n:]
		case unix.EINTR:
		case unix.EAGAIN:
			return false
		default:
			s.sendErr = os.NewSyscallError("sendmmsg", errno)
			return true
		}
	}
	return true
}

// receive waits until at least one reply is there, or the read deadline passes, and takes
// every waiting one, up to the batch; it returns how many receives it made. Their contents
// stay valid until the next receive.
//
// hot path: no allocation
func (s *udpSocket) receive() (int, error) {
	s.received = 0
	if err := s.raw.Read(s.recvFunc); err != nil {
		return 0, err
	}
	return s.received, s.recvErr
}

// receiveWaiting is receive's syscall.RawConn callback: it reports false to wait until the
// socket is readable.
func (s *udpSocket) receiveWaiting(fd uintptr) bool {
	s.recvErr = nil
	for i := range s.recvHdrs {
		if s.gro {
			s.recvHdrs[i].Hdr.SetControllen(len(s.recvCmsgs[i]))
		}
		s.recvHdrs[i].Hdr.Flags = 0
	}
	for {
		// Non-blocking, as in sendUnsent.
		n, _, errno := unix.RawSyscall6(unix.SYS_RECVMMSG, fd,
			uintptr(unsafe.Pointer(&s.recvHdrs[0])), uintptr(len(s.recvHdrs)), 0, 0, 0)
		switch errno {
		case 0:
			s.received = int(n)
			return true
		case unix.EINTR:
		case unix.EAGAIN:
			return false
		default:
			s.recvErr = os.NewSyscallError("recvmmsg", errno)
			return true
		}
	}
}

// message returns receive i of the last receive call and the size of the datagrams it holds:
// its whole length, unless GRO coalesced several datagrams of that size (the last one may
// be shorter).
//
// hot path: no allocation
func (s *udpSocket) message(i int) (data []byte, segment int) {
	h := &s.recvHdrs[i]
	data = s.recvBufs[i][:h.Len]
	if !s.gro {
		return data, len(data)
	}
	return data, groSegmentSize(s.recvCmsgs[i][:h.Hdr.Controllen], len(data))
}

// groSegmentSize reads the UDP_GRO control message among cmsgs: the size of the datagrams a
// coalesced receive holds. Without one, the receive is a single datagram of length bytes.
func groSegmentSize(cmsgs []byte, length int) int {
	for len(cmsgs) > 0 {
		h, data, rest, err := unix.ParseOneSocketControlMessage(cmsgs)
		if err != nil {
			break
		}
		if h.Level == unix.IPPROTO_UDP && h.Type == unix.UDP_GRO && len(data) >= udpGROCmsgLen {
			return int(binary.NativeEndian.Uint32(data))
		}
		cmsgs = rest
	}
	return length
}

// setReadDeadline bounds the wait of the next receives.
func (s *udpSocket) setReadDeadline(t time.Time) error { return s.conn.SetReadDeadline(t) }

// close closes the socket.
func (s *udpSocket) close() error { return s.conn.Close() }
