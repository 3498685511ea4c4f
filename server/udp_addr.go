package server

import (
	"encoding/binary"
	"net"
)

// peerAddr is a datagram's sender (or destination) in a form that compares with ==, hashes,
// and turns into a system call's socket address, all without allocating: unix.Sockaddr values
// are allocated per call by golang.org/x/sys, and net.UDPAddr holds a slice.
type peerAddr struct {
	// ip holds an IPv4 address in its first four bytes when v6 is false.
	ip   [16]byte
	zone uint32 // IPv6 scope (interface index), 0 for none
	port uint16
	v6   bool
}

// hash spreads peers over the loop's table of datagram connections (udp_peers.go): every
// bit of the address, port and zone moves every bit of the result, so that senders that
// differ only in their port (many sockets of one host) spread as well as hosts do.
//
// hot path: no allocation
func (p *peerAddr) hash() uint32 {
	lo := binary.LittleEndian.Uint64(p.ip[:8])
	hi := binary.LittleEndian.Uint64(p.ip[8:])
	x := lo ^ (hi<<31 | hi>>33) ^ (uint64(p.port)<<32|uint64(p.zone))<<7
	// MurmurHash3's 64-bit finalizer.
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return uint32(x)
}

// netAddr returns the peer as the net.Addr a handler sees; it allocates, so it is called at
// most once per datagram connection (udpConn.RemoteAddr).
func (p *peerAddr) netAddr() *net.UDPAddr {
	if !p.v6 {
		return &net.UDPAddr{IP: net.IPv4(p.ip[0], p.ip[1], p.ip[2], p.ip[3]), Port: int(p.port)}
	}
	ip := make(net.IP, net.IPv6len)
	copy(ip, p.ip[:])
	return &net.UDPAddr{IP: ip, Port: int(p.port), Zone: zoneName(p.zone)}
}
