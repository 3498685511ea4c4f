package server

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/unix"
)

// batchesSends is true where the loop gathers a turn's replies into one system call.
const batchesSends = true

// queueDatagram copies buf into the loop's batch of replies, sent at the end of the turn
// (flushDatagrams) or earlier when the batch is full.
//
// hot path: no allocation
func (el *eventloop) queueDatagram(ln *listener, peer *peerAddr, buf []byte) error {
	io := &el.dgram.io
	if io.nQueued == sendSlots || io.used+len(buf) > len(io.arena) {
		el.sendQueuedDatagrams()
	}
	q := &io.queued[io.nQueued]
	q.ln, q.peer, q.off, q.len = ln, *peer, io.used, len(buf)
	io.used += copy(io.arena[io.used:], buf)
	io.nQueued++
	return nil
}

// flushDatagrams sends the replies the turn queued, at the end of the turn.
//
// hot path: no allocation
func (el *eventloop) flushDatagrams() {
	if el.dgram != nil {
		el.sendQueuedDatagrams()
	}
}

// sendQueuedDatagrams sends the replies queued with sendmmsg(2), one message per datagram,
// except that consecutive datagrams to one peer of one size (but a shorter last) leave as one
// message with UDP_SEGMENT where the socket allows it: the kernel then builds the datagrams
// from one buffer, and on loopback hands them to a receiver with UDP_GRO still coalesced.
func (el *eventloop) sendQueuedDatagrams() {
	// hot path: no allocation
	if el.dgram.io.nQueued == 0 {
		return
	}
	io := &el.dgram.io
	messages := 0
	for i := 0; i < io.nQueued; {
		q := &io.queued[i]
		count, total := 1, q.len
		if s := q.ln.udp; s.gso && q.len > 0 && (s.gsoRefused == 0 || q.len < s.gsoRefused) {
			limit := datagramLimit(&q.peer)
			for i+count < io.nQueued && count < maxGSOSegments {
				next := &io.queued[i+count]
				if next.ln != q.ln || next.len == 0 || next.len > q.len || total+next.len > limit || next.peer != q.peer {
					break
				}
				count++
				total += next.len
				if next.len < q.len {
					break // a shorter datagram ends a run
				}
			}
		}
		h := &io.sendHdrs[messages].Hdr
		h.Namelen = q.peer.toRaw(&io.sendNames[messages])
		base := &io.arena[0]
		if q.off < len(io.arena) {
			base = &io.arena[q.off]
		}
		io.sendIovs[messages].Base = base
		io.sendIovs[messages].SetLen(total)
		h.SetControllen(0)
		if count > 1 {
			c := (*unix.Cmsghdr)(unsafe.Pointer(&io.sendCtrl[messages]))
			c.Level, c.Type = unix.SOL_UDP, unix.UDP_SEGMENT
			c.SetLen(unix.CmsgLen(2))
			*(*uint16)(unsafe.Add(unsafe.Pointer(c), unix.CmsgLen(0))) = uint16(q.len)
			h.SetControllen(unix.CmsgSpace(2))
		}
		io.groups[messages] = sendGroup{first: i, count: count, segment: q.len}
		messages++
		i += count
	}
	for start := 0; start < messages; {
		fd := io.queued[io.groups[start].first].ln.fd
		end := start + 1
		for end < messages && io.queued[io.groups[end].first].ln.fd == fd {
			end++
		}
		el.sendMessages(fd, start, end)
		start = end
	}
	io.nQueued, io.used = 0, 0
}

// sendMessages sends the built messages start to end-1, all on fd, with as few sendmmsg calls
// as the kernel allows. A message the kernel refuses is dropped, as the network would drop
// it, and logged; a refused UDP_SEGMENT message is sent again one datagram at a time. After
// EIO (the device cannot segment or checksum) the socket stops using UDP_SEGMENT; after
// EINVAL (segments larger than the route allows) it stops for runs of that size or more.
func (el *eventloop) sendMessages(fd, start, end int) {
	// hot path: no allocation
	io := &el.dgram.io
	frames, bytes := 0, 0
	for i := start; i < end; {
		want := end - i
		failWith := unix.Errno(failGSOSends.Load())
		if failWith != 0 {
			want = 0
			for i+want < end && io.groups[i+want].count == 1 {
				want++
			}
		}
		var errno unix.Errno
		sent := 0
		if want > 0 {
			r, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, uintptr(fd),
				uintptr(unsafe.Pointer(&io.sendHdrs[i])), uintptr(want), 0, 0, 0)
			if e == unix.EINTR {
				continue
			}
			sent, errno = int(r), e
		} else {
			errno = failWith
		}
		if errno == 0 && sent > 0 {
			for _, g := range io.groups[i : i+sent] {
				frames += g.count
				bytes += int(io.sendIovs[i].Len)
				i++
			}
			continue
		}
		// Message i was refused.
		g := io.groups[i]
		first := &io.queued[g.first]
		switch {
		case g.count > 1 && (errno == unix.EIO || errno == unix.EINVAL):
			if s := first.ln.udp; errno == unix.EIO && s.gso {
				s.gso = false
				el.cfg.logger.Warnf("gnet: loop %d: a UDP_SEGMENT send on %s failed (%v): sending datagrams one by one", el.idx, first.ln.ep, errno)
			} else if errno == unix.EINVAL && (s.gsoRefused == 0 || g.segment < s.gsoRefused) {
				s.gsoRefused = g.segment
			}
			f, b := el.sendOneByOne(fd, g)
			frames += f
			bytes += b
			i++
		case errno == unix.EAGAIN || errno == unix.ENOBUFS || errno == 0:
			// The socket's send buffer is full: the rest would be refused as well.
			el.noteSendError(first.ln, errno, end-i)
			i = end
		default:
			el.noteSendError(first.ln, errno, 1)
			i++
		}
	}
	el.stats.framesOut.Add(uint64(frames))
	el.stats.noteSent(bytes)
}

// sendOneByOne sends the datagrams of group g one sendto each; it returns the datagrams and
// bytes sent.
func (el *eventloop) sendOneByOne(fd int, g sendGroup) (frames, bytes int) {
	io := &el.dgram.io
	for _, q := range io.queued[g.first : g.first+g.count] {
		if err := sendtoPeer(fd, &q.peer, io.arena[q.off:q.off+q.len]); err != nil {
			var errno unix.Errno
			errors.As(err, &errno)
			el.noteSendError(q.ln, errno, 1)
			continue
		}
		frames++
		bytes += q.len
	}
	return frames, bytes
}

// noteSendError logs that dropped datagrams were refused with errno, unless that error was
// the last one logged.
func (el *eventloop) noteSendError(ln *listener, errno unix.Errno, dropped int) {
	io := &el.dgram.io
	if errno == io.lastSendErr {
		return
	}
	io.lastSendErr = errno
	el.cfg.logger.Warnf("gnet: loop %d: sendmmsg on %s: %v: %d datagram(s) dropped (logged once until another error)", el.idx, ln.ep, errno, dropped)
}

// sendtoPeer sends buf to peer on fd with one sendto(2), a raw system call with the
// address built on the stack.
func sendtoPeer(fd int, peer *peerAddr, buf []byte) error {
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
