package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// A datagram of the UDP load is a 16-byte header followed by filler:
//
//	bytes 0..3    the sending socket's id, big-endian, so a reply that reaches the wrong
//	              socket is caught
//	bytes 4..7    the window slot the datagram was sent from
//	bytes 8..15   its sequence number within the socket, never reused in a run
//	bytes 16..    the socket's filler, the same in every datagram of that socket
//
// The echo must be byte-identical: the header names the datagram it answers, the filler
// shows that nothing else was changed.
const (
	udpHeaderBytes = 16
	// maxUDPPayload is the largest payload of an IPv4 UDP datagram: 65535 bytes less the
	// 20-byte IPv4 and the 8-byte UDP header.
	maxUDPPayload = 65535 - 20 - 8
)

// udpTemplate is what every datagram of one socket starts as. It is read-only once built,
// and owned by that socket's worker.
type udpTemplate struct {
	socket uint32
	bytes  []byte
}

// newUDPTemplate builds the template of a socket's datagrams of size bytes (at least
// udpHeaderBytes). The filler depends on socket, so that sockets send different bytes.
func newUDPTemplate(socket uint32, size int) udpTemplate {
	b := make([]byte, size)
	binary.BigEndian.PutUint32(b, socket)
	for i := udpHeaderBytes; i < size; i++ {
		b[i] = byte('!' + (i*31+int(socket)*17)%94)
	}
	return udpTemplate{socket: socket, bytes: b}
}

// newDatagram returns a fresh copy of the template, to be stamped and sent.
func (t udpTemplate) newDatagram() []byte {
	return bytes.Clone(t.bytes)
}

// stamp writes slot and seq into d, a datagram made by newDatagram.
//
// hot path: no allocation
func (t udpTemplate) stamp(d []byte, slot uint32, seq uint64) {
	binary.BigEndian.PutUint32(d[4:], slot)
	binary.BigEndian.PutUint64(d[8:], seq)
}

// check verifies that reply is a datagram of this socket, unaltered but for its slot and
// sequence number, and returns those two. Whether that datagram was sent, is still awaited,
// or was answered before is the window's business (udpWindow.settle). Every error wraps
// ErrEchoMismatch.
//
// hot path: no allocation unless the reply is wrong
func (t udpTemplate) check(reply []byte) (slot uint32, seq uint64, err error) {
	if len(reply) != len(t.bytes) {
		return 0, 0, fmt.Errorf("%w: a reply of %d bytes to %d-byte datagrams", ErrEchoMismatch, len(reply), len(t.bytes))
	}
	if socket := binary.BigEndian.Uint32(reply); socket != t.socket {
		return 0, 0, fmt.Errorf("%w: a reply carries socket id %d, not %d", ErrEchoMismatch, socket, t.socket)
	}
	if !bytes.Equal(reply[udpHeaderBytes:], t.bytes[udpHeaderBytes:]) {
		return 0, 0, fmt.Errorf("%w: byte %d of a %d-byte reply", ErrEchoMismatch,
			udpHeaderBytes+firstDifferenceOf(reply[udpHeaderBytes:], t.bytes[udpHeaderBytes:]), len(reply))
	}
	return binary.BigEndian.Uint32(reply[4:]), binary.BigEndian.Uint64(reply[8:]), nil
}
