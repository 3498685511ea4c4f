package proxyproto

import (
	"encoding/binary"
	"fmt"
	"net"
)

// v2Signature starts every version 2 header. It holds a NUL and a CRLF pair so that no text
// protocol can begin with it.
const v2Signature = "\r\n\r\n\x00\r\nQUIT\n"

// The version 2 address families, the high four bits of the 14th byte.
const (
	familyUnspec = 0x0
	familyINET   = 0x1
	familyINET6  = 0x2
	familyUnix   = 0x3
)

const (
	v2Version         = 2
	inetBlockLength   = 2*ipv4Length + 2*2 // two IPv4 addresses, two ports
	inet6BlockLength  = 2*ipv6Length + 2*2 // two IPv6 addresses, two ports
	unixBlockLength   = 2 * unixPathLength // two sun_path fields
	ipv4Length        = 4
	ipv6Length        = 16
	familyByteOffset  = 13
	lengthFieldOffset = 14
)

// v2AddressBlockLength returns the length of the address block that the family and
// transport byte fam announces, and false for a byte the specification does not define: a
// family or transport past the known ones, or one of them UNSPEC without the other.
func v2AddressBlockLength(fam byte) (int, bool) {
	switch fam {
	case familyUnspec<<4 | byte(TransportUnspec):
		return 0, true
	case familyINET<<4 | byte(TransportStream), familyINET<<4 | byte(TransportDatagram):
		return inetBlockLength, true
	case familyINET6<<4 | byte(TransportStream), familyINET6<<4 | byte(TransportDatagram):
		return inet6BlockLength, true
	case familyUnix<<4 | byte(TransportStream), familyUnix<<4 | byte(TransportDatagram):
		return unixBlockLength, true
	}
	return 0, false
}

// parseV2 parses a version 2 header no longer than maxLength. The 16 fixed bytes are
// judged one by one as they arrive; the rest only once the whole header has.
//
// hot path: no allocation but the addresses and, when there are TLVs, their copy.
func parseV2(buf []byte, maxLength int) (Header, int, error) {
	for i := range len(v2Signature) {
		if i == len(buf) {
			return Header{}, 0, ErrIncomplete
		}
		if buf[i] != v2Signature[i] {
			return Header{}, 0, fmt.Errorf("%w: begins %q, not the version 2 signature", ErrNotProxy, buf[:i+1])
		}
	}
	if len(buf) == len(v2Signature) {
		return Header{}, 0, ErrIncomplete
	}
	versionCommand := buf[len(v2Signature)]
	if version := versionCommand >> 4; version != v2Version {
		return Header{}, 0, fmt.Errorf("%w: version %d after the version 2 signature", ErrMalformed, version)
	}
	command := Command(versionCommand & 0x0f)
	if command != CommandLocal && command != CommandProxy {
		return Header{}, 0, fmt.Errorf("%w: command %#x is neither LOCAL nor PROXY", ErrMalformed, byte(command))
	}
	if len(buf) == familyByteOffset {
		return Header{}, 0, ErrIncomplete
	}
	fam := buf[familyByteOffset]
	blockLength, ok := v2AddressBlockLength(fam)
	if !ok {
		return Header{}, 0, fmt.Errorf("%w: family and transport byte %#02x", ErrMalformed, fam)
	}
	if len(buf) < V2FixedLength {
		return Header{}, 0, ErrIncomplete
	}
	length := int(binary.BigEndian.Uint16(buf[lengthFieldOffset:]))
	total := V2FixedLength + length
	if total > maxLength {
		return Header{}, 0, fmt.Errorf("%w: version 2 header of %d bytes, more than the limit of %d",
			ErrTooLong, total, maxLength)
	}
	if length < blockLength {
		return Header{}, 0, fmt.Errorf("%w: %d bytes after the fixed header where family and transport %#02x need %d",
			ErrMalformed, length, fam, blockLength)
	}
	if len(buf) < total {
		return Header{}, 0, ErrIncomplete
	}
	header := buf[:total]
	tlvStart := V2FixedLength + blockLength
	count, err := checkV2TLVs(header, tlvStart)
	if err != nil {
		return Header{}, 0, err
	}
	h := Header{Version: v2Version, Command: command}
	// LOCAL means the proxy's own connection and UNSPEC an address it could not describe:
	// the receiver uses the real addresses, and the block, if any, is only skipped.
	if command == CommandProxy && fam != familyUnspec {
		h.Transport = Transport(fam & 0x0f)
		h.Source, h.Destination = v2Addrs(fam>>4, h.Transport, header[V2FixedLength:tlvStart])
	}
	if count > 0 {
		area := append([]byte(nil), header[tlvStart:]...)
		h.TLVs = make([]TLV, count)
		splitTLVs(area, h.TLVs)
	}
	return h, total, nil
}

// checkV2TLVs checks the TLVs of a whole header, from tlvStart to its end, counts them, and
// verifies the checksum if a TypeCRC32C TLV is among them.
func checkV2TLVs(header []byte, tlvStart int) (count int, err error) {
	crcAt := -1
	for area := header[tlvStart:]; len(area) > 0; count++ {
		t, value, rest, err := nextTLV(area, "TLV")
		if err != nil {
			return 0, err
		}
		if err := checkTLVValue(t, value); err != nil {
			return 0, err
		}
		if t == TypeCRC32C {
			if crcAt >= 0 {
				return 0, fmt.Errorf("%w: a second CRC32C TLV", ErrMalformed)
			}
			crcAt = len(header) - len(area) + tlvHeaderLength
		}
		area = rest
	}
	if crcAt >= 0 {
		want := binary.BigEndian.Uint32(header[crcAt:])
		if got := headerCRC32C(header, crcAt); got != want {
			return 0, fmt.Errorf("%w: CRC32C TLV says %#08x, the header's is %#08x", ErrChecksum, want, got)
		}
	}
	return count, nil
}

// v2Addrs decodes an address block of the given family and transport, neither UNSPEC.
func v2Addrs(family byte, t Transport, block []byte) (src, dst net.Addr) {
	if family == familyUnix {
		return unixAddrs(t, block[:unixPathLength], block[unixPathLength:])
	}
	n := ipv4Length
	if family == familyINET6 {
		n = ipv6Length
	}
	ports := block[2*n:]
	return ipAddrs(t, block[:n], block[n:2*n],
		int(binary.BigEndian.Uint16(ports)), int(binary.BigEndian.Uint16(ports[2:])))
}
