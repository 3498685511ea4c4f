package proxyproto

import (
	"bytes"
	"net"
)

// A header's two addresses are made in one allocation: the pair of address values and the
// bytes their IPs point into live in one struct, and the Header holds pointers into it.

type tcpAddrPair struct {
	src, dst net.TCPAddr
	ips      [2 * net.IPv6len]byte
}

type udpAddrPair struct {
	src, dst net.UDPAddr
	ips      [2 * net.IPv6len]byte
}

type unixAddrPair struct {
	src, dst net.UnixAddr
}

// ipAddrs returns the source and destination addresses of an IPv4 or IPv6 header with the
// given transport, which is TransportStream or TransportDatagram. The IPs are copied, both
// 4 or both 16 bytes long.
func ipAddrs(t Transport, srcIP, dstIP []byte, srcPort, dstPort int) (src, dst net.Addr) {
	if t == TransportStream {
		p := new(tcpAddrPair)
		p.src = net.TCPAddr{IP: copyIPs(&p.ips, srcIP, dstIP, 0), Port: srcPort}
		p.dst = net.TCPAddr{IP: copyIPs(&p.ips, srcIP, dstIP, 1), Port: dstPort}
		return &p.src, &p.dst
	}
	p := new(udpAddrPair)
	p.src = net.UDPAddr{IP: copyIPs(&p.ips, srcIP, dstIP, 0), Port: srcPort}
	p.dst = net.UDPAddr{IP: copyIPs(&p.ips, srcIP, dstIP, 1), Port: dstPort}
	return &p.src, &p.dst
}

// copyIPs copies srcIP (which 0) or dstIP (which 1) into its half of ips and returns that
// copy, with its capacity capped so that an append cannot run into the other half.
func copyIPs(ips *[2 * net.IPv6len]byte, srcIP, dstIP []byte, which int) net.IP {
	ip := srcIP
	if which == 1 {
		ip = dstIP
	}
	start := which * net.IPv6len
	end := start + len(ip)
	copy(ips[start:end], ip)
	return ips[start:end:end]
}

// unixPathLength is the size of each sun_path field of an AF_UNIX header.
const unixPathLength = 108

// unixAddrs returns the addresses of an AF_UNIX header from its two sun_path fields, with
// their names in one allocation.
func unixAddrs(t Transport, srcPath, dstPath []byte) (src, dst net.Addr) {
	network := "unix"
	if t == TransportDatagram {
		network = "unixgram"
	}
	var names [2 * unixPathLength]byte
	srcName := appendUnixName(names[:0], srcPath)
	text := string(appendUnixName(srcName, dstPath))
	p := new(unixAddrPair)
	p.src = net.UnixAddr{Name: text[:len(srcName)], Net: network}
	p.dst = net.UnixAddr{Name: text[len(srcName):], Net: network}
	return &p.src, &p.dst
}

// appendUnixName appends the name a sun_path field holds. A path ends at its first NUL byte,
// or fills the field. A field that starts with a NUL and holds something after it is a Linux
// abstract name, written as Go writes those: "@" and the name up to its next NUL (the field
// cannot say where an abstract name with NULs in it ends, so none is kept past one). The
// name is never longer than the field.
func appendUnixName(dst, field []byte) []byte {
	abstract := len(field) > 0 && field[0] == 0
	if abstract {
		field = field[1:]
	}
	if i := bytes.IndexByte(field, 0); i >= 0 {
		field = field[:i]
	}
	if abstract && len(field) > 0 {
		dst = append(dst, '@')
	}
	return append(dst, field...)
}
