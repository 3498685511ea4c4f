package proxyproto

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// AppendV1 appends h to dst as a version 1 line and returns the extended slice. h.Version
// must be 0 or 1 and h.Command CommandProxy (version 1 has no LOCAL). Addresses are written
// as TCP4 when both IPs are IPv4 (4 bytes or IPv4-mapped), as TCP6 otherwise (an IPv4 one
// mapped); without addresses the line is "PROXY UNKNOWN\r\n". Zones are dropped: the
// protocol cannot carry them. A Header version 1 cannot say (UDP or Unix addresses, TLVs)
// fails with ErrUnencodable, and dst is returned unchanged.
func AppendV1(dst []byte, h Header) ([]byte, error) {
	if h.Version != 0 && h.Version != 1 {
		return dst, fmt.Errorf("%w: AppendV1 of a version %d header", ErrUnencodable, h.Version)
	}
	if h.Command != CommandProxy {
		return dst, fmt.Errorf("%w: version 1 has no LOCAL command; a line without addresses is PROXY UNKNOWN",
			ErrUnencodable)
	}
	if len(h.TLVs) > 0 {
		return dst, fmt.Errorf("%w: version 1 carries no TLVs", ErrUnencodable)
	}
	e, err := endpointsOf(h)
	if err != nil {
		return dst, err
	}
	switch {
	case e.family == familyUnspec:
		return append(dst, "PROXY UNKNOWN\r\n"...), nil
	case e.transport != TransportStream || e.family == familyUnix:
		return dst, fmt.Errorf("%w: version 1 carries only TCP over IPv4 or IPv6", ErrUnencodable)
	case e.family == familyINET:
		dst = append(dst, "PROXY TCP4 "...)
	default:
		dst = append(dst, "PROXY TCP6 "...)
	}
	dst = e.src.Addr().AppendTo(dst)
	dst = append(dst, ' ')
	dst = e.dst.Addr().AppendTo(dst)
	dst = append(dst, ' ')
	dst = strconv.AppendUint(dst, uint64(e.src.Port()), 10)
	dst = append(dst, ' ')
	dst = strconv.AppendUint(dst, uint64(e.dst.Port()), 10)
	return append(dst, "\r\n"...), nil
}

// AppendV2 appends h to dst as a version 2 header and returns the extended slice. h.Version
// must be 0 or 2. CommandLocal takes no addresses. The family comes from the addresses: IPv4
// when both IPs are IPv4 (4 bytes or IPv4-mapped), IPv6 otherwise (an IPv4 one mapped),
// Unix for *net.UnixAddr, UNSPEC without addresses; zones are dropped. The TLVs are written
// in order as they are, except that the value of a TypeCRC32C TLV, empty or 4 bytes, is
// replaced by the header's checksum. A Header that breaks the specification (a TLV that
// Parse would refuse, more than 65535 bytes after the fixed part) fails with
// ErrUnencodable, and dst is returned unchanged.
func AppendV2(dst []byte, h Header) ([]byte, error) {
	if h.Version != 0 && h.Version != v2Version {
		return dst, fmt.Errorf("%w: AppendV2 of a version %d header", ErrUnencodable, h.Version)
	}
	if h.Command != CommandLocal && h.Command != CommandProxy {
		return dst, fmt.Errorf("%w: command %#x is neither LOCAL nor PROXY", ErrUnencodable, byte(h.Command))
	}
	e, err := endpointsOf(h)
	if err != nil {
		return dst, err
	}
	if h.Command == CommandLocal && e.family != familyUnspec {
		return dst, fmt.Errorf("%w: a LOCAL header carries no addresses", ErrUnencodable)
	}
	start := len(dst)
	dst = append(dst, v2Signature...)
	dst = append(dst, v2Version<<4|byte(h.Command), e.family<<4|byte(e.transport), 0, 0)
	dst = e.appendV2Block(dst)
	dst, crcAt, err := appendV2TLVs(dst, h.TLVs)
	if err != nil {
		return dst[:start], err
	}
	header := dst[start:]
	length := len(header) - V2FixedLength
	if length > 0xffff {
		return dst[:start], fmt.Errorf("%w: %d bytes after the fixed header, more than 65535", ErrUnencodable, length)
	}
	binary.BigEndian.PutUint16(header[lengthFieldOffset:], uint16(length))
	if crcAt >= 0 {
		at := crcAt - start
		binary.BigEndian.PutUint32(header[at:], headerCRC32C(header, at))
	}
	return dst, nil
}

// appendV2TLVs writes tlvs after checking each as Parse would, with the value of a
// TypeCRC32C TLV as zeros; it returns where that value is in dst, or -1.
func appendV2TLVs(dst []byte, tlvs []TLV) ([]byte, int, error) {
	crcAt := -1
	for _, tlv := range tlvs {
		value := tlv.Value
		if tlv.Type == TypeCRC32C {
			if crcAt >= 0 {
				return dst, 0, fmt.Errorf("%w: a second CRC32C TLV", ErrUnencodable)
			}
			if len(value) == 0 {
				value = make([]byte, crc32cLength)
			}
			crcAt = len(dst) + tlvHeaderLength
		}
		if err := checkTLVValue(tlv.Type, value); err != nil {
			return dst, 0, fmt.Errorf("%w: %w", ErrUnencodable, err)
		}
		var err error
		if dst, err = appendTLV(dst, tlv.Type, value); err != nil {
			return dst, 0, err
		}
	}
	if crcAt >= 0 {
		clear(dst[crcAt : crcAt+crc32cLength])
	}
	return dst, crcAt, nil
}

// endpoints is what the encoders need of a Header's addresses.
type endpoints struct {
	family           byte
	transport        Transport
	src, dst         netip.AddrPort // families familyINET and familyINET6
	srcName, dstName string         // familyUnix
}

// endpointsOf checks that h's addresses are of one kind that agrees with h.Transport and
// that the protocol can carry, and returns them.
func endpointsOf(h Header) (endpoints, error) {
	var e endpoints
	var srcIP, dstIP net.IP
	var srcPort, dstPort int
	switch src := h.Source.(type) {
	case nil:
		if h.Destination != nil {
			return e, fmt.Errorf("%w: a destination without a source", ErrUnencodable)
		}
		if h.Transport != TransportUnspec {
			return e, fmt.Errorf("%w: transport %d without addresses", ErrUnencodable, h.Transport)
		}
		return e, nil
	case *net.TCPAddr:
		dst, ok := h.Destination.(*net.TCPAddr)
		if !ok || src == nil || dst == nil {
			return e, errMixedAddresses(h)
		}
		e.transport, srcIP, dstIP, srcPort, dstPort = TransportStream, src.IP, dst.IP, src.Port, dst.Port
	case *net.UDPAddr:
		dst, ok := h.Destination.(*net.UDPAddr)
		if !ok || src == nil || dst == nil {
			return e, errMixedAddresses(h)
		}
		e.transport, srcIP, dstIP, srcPort, dstPort = TransportDatagram, src.IP, dst.IP, src.Port, dst.Port
	case *net.UnixAddr:
		dst, ok := h.Destination.(*net.UnixAddr)
		if !ok || src == nil || dst == nil || src.Net != dst.Net {
			return e, errMixedAddresses(h)
		}
		switch src.Net {
		case "unix":
			e.transport = TransportStream
		case "unixgram":
			e.transport = TransportDatagram
		default:
			return e, fmt.Errorf("%w: Unix network %q is neither unix nor unixgram", ErrUnencodable, src.Net)
		}
		for _, name := range [2]string{src.Name, dst.Name} {
			if err := checkUnixName(name); err != nil {
				return e, err
			}
		}
		e.family, e.srcName, e.dstName = familyUnix, src.Name, dst.Name
	default:
		return e, fmt.Errorf("%w: source address of type %T", ErrUnencodable, h.Source)
	}
	if h.Transport != TransportUnspec && h.Transport != e.transport {
		return e, fmt.Errorf("%w: transport %d contradicts addresses of type %T", ErrUnencodable, h.Transport, h.Source)
	}
	if e.family == familyUnix {
		return e, nil
	}
	err := e.setIPs(srcIP, dstIP, srcPort, dstPort)
	return e, err
}

func errMixedAddresses(h Header) error {
	return fmt.Errorf("%w: source %T and destination %T are not two addresses of one kind",
		ErrUnencodable, h.Source, h.Destination)
}

// setIPs sets the family and the addresses: IPv4 when both are, IPv6 otherwise.
func (e *endpoints) setIPs(srcIP, dstIP net.IP, srcPort, dstPort int) error {
	for _, port := range [2]int{srcPort, dstPort} {
		if port < 0 || port > 0xffff {
			return fmt.Errorf("%w: port %d out of 0-65535", ErrUnencodable, port)
		}
	}
	src4, dst4 := srcIP.To4(), dstIP.To4()
	if src4 != nil && dst4 != nil {
		e.family = familyINET
		e.src = netip.AddrPortFrom(netip.AddrFrom4([4]byte(src4)), uint16(srcPort))
		e.dst = netip.AddrPortFrom(netip.AddrFrom4([4]byte(dst4)), uint16(dstPort))
		return nil
	}
	src16, dst16 := srcIP.To16(), dstIP.To16()
	if src16 == nil || dst16 == nil {
		return fmt.Errorf("%w: IP %q or %q is neither IPv4 nor IPv6", ErrUnencodable, srcIP, dstIP)
	}
	e.family = familyINET6
	e.src = netip.AddrPortFrom(netip.AddrFrom16([16]byte(src16)), uint16(srcPort))
	e.dst = netip.AddrPortFrom(netip.AddrFrom16([16]byte(dst16)), uint16(dstPort))
	return nil
}

// appendV2Block appends the address block of e's family.
func (e *endpoints) appendV2Block(dst []byte) []byte {
	switch e.family {
	case familyINET, familyINET6:
		dst = appendIP(dst, e.src.Addr())
		dst = appendIP(dst, e.dst.Addr())
		dst = binary.BigEndian.AppendUint16(dst, e.src.Port())
		return binary.BigEndian.AppendUint16(dst, e.dst.Port())
	case familyUnix:
		dst = appendUnixField(dst, e.srcName)
		return appendUnixField(dst, e.dstName)
	}
	return dst
}

func appendIP(dst []byte, ip netip.Addr) []byte {
	if ip.Is4() {
		b := ip.As4()
		return append(dst, b[:]...)
	}
	b := ip.As16()
	return append(dst, b[:]...)
}

// checkUnixName checks that name fits a sun_path field as appendUnixField writes it, so that
// it reads back the same: "@" and an abstract name of 1 to 107 bytes, or a path of at most
// 108 bytes ("@" alone is the path "@"), neither with a NUL byte in it.
func checkUnixName(name string) error {
	path, limit := name, unixPathLength
	if isAbstractUnixName(name) {
		path, limit = name[1:], unixPathLength-1
	}
	if len(path) > limit || strings.IndexByte(path, 0) >= 0 {
		return fmt.Errorf("%w: Unix address %q does not fit 108 bytes without NUL", ErrUnencodable, name)
	}
	return nil
}

// isAbstractUnixName reports whether name is written as Go writes a Linux abstract name: "@"
// for the leading NUL, then the name.
func isAbstractUnixName(name string) bool {
	return len(name) > 1 && name[0] == '@'
}

// appendUnixField appends the 108-byte sun_path field of a name that checkUnixName accepted.
func appendUnixField(dst []byte, name string) []byte {
	start := len(dst)
	if isAbstractUnixName(name) {
		dst = append(dst, 0)
		name = name[1:]
	}
	dst = append(dst, name...)
	return append(dst, make([]byte, unixPathLength-(len(dst)-start))...)
}
