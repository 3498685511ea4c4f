package proxyproto

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"testing"
)

const (
	v2Proxy = 0x21 // version 2, PROXY
	v2Local = 0x20 // version 2, LOCAL
)

func proxyV2(transport Transport, src, dst net.Addr, tlvs ...TLV) Header {
	return Header{Version: 2, Command: CommandProxy, Transport: transport, Source: src, Destination: dst, TLVs: tlvs}
}

// sslValue is a PP2_TYPE_SSL value written byte by byte: client, verify, sub-TLVs.
func sslValue(client byte, verify uint32, subs ...[]byte) []byte {
	b := binary.BigEndian.AppendUint32([]byte{client}, verify)
	return append(b, bytes.Join(subs, nil)...)
}

// crcSealedTCP4 is an IPv4 header whose CRC32C TLV, the last, holds its checksum.
func crcSealedTCP4() []byte {
	h := rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 50000, 443),
		rawTLV(TypeAuthority, []byte("example.com")), rawTLV(TypeCRC32C, make([]byte, 4)))
	return sealCRC32C(h, len(h)-4)
}

// v2Accepted are valid version 2 headers.
var v2Accepted = []acceptance[[]byte]{
	{
		name:  "TCP over IPv4",
		input: rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 50000, 443)),
		want:  proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443)),
	},
	{
		name:  "UDP over IPv4",
		input: rawV2(v2Proxy, 0x12, inetBlock("192.0.2.1", "198.51.100.1", 0, 65535)),
		want:  proxyV2(TransportDatagram, udp("192.0.2.1", 0), udp("198.51.100.1", 65535)),
	},
	{
		name:  "TCP over IPv6",
		input: rawV2(v2Proxy, 0x21, inet6Block("2001:db8::1", "2001:db8::2", 1, 2)),
		want:  proxyV2(TransportStream, tcp("2001:db8::1", 1), tcp("2001:db8::2", 2)),
	},
	{
		name:  "UDP over IPv6",
		input: rawV2(v2Proxy, 0x22, inet6Block("::ffff:192.0.2.1", "2001:db8::2", 1, 2)),
		want:  proxyV2(TransportDatagram, udp("::ffff:192.0.2.1", 1), udp("2001:db8::2", 2)),
	},
	{
		name:  "Unix stream with paths",
		input: rawV2(v2Proxy, 0x31, unixField("/run/client.sock"), unixField("/run/server.sock")),
		want:  proxyV2(TransportStream, unixAddr("/run/client.sock", "unix"), unixAddr("/run/server.sock", "unix")),
	},
	{
		name:  "Unix datagram with an abstract name and an unnamed socket",
		input: rawV2(v2Proxy, 0x32, unixField("\x00abstract\x00ignored"), unixField("")),
		want:  proxyV2(TransportDatagram, unixAddr("@abstract", "unixgram"), unixAddr("", "unixgram")),
	},
	{
		name:  "Unix path filling all 108 bytes without NUL",
		input: rawV2(v2Proxy, 0x31, unixField(strings.Repeat("p", 108)), unixField("/s")),
		want:  proxyV2(TransportStream, unixAddr(strings.Repeat("p", 108), "unix"), unixAddr("/s", "unix")),
	},
	{
		name:  "LOCAL without addresses",
		input: rawV2(v2Local, 0x00),
		want:  Header{Version: 2, Command: CommandLocal},
	},
	{
		name:  "LOCAL with an IPv4 block, skipped, and a TLV after it",
		input: rawV2(v2Local, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 1, 2), rawTLV(TypeUniqueID, []byte("id"))),
		want:  Header{Version: 2, Command: CommandLocal, TLVs: []TLV{{Type: TypeUniqueID, Value: []byte("id")}}},
	},
	{
		name:  "LOCAL with a TLV, as HAProxy's health checks send it",
		input: rawV2(v2Local, 0x00, rawTLV(TypeNOOP, nil)),
		want:  Header{Version: 2, Command: CommandLocal, TLVs: []TLV{{Type: TypeNOOP, Value: []byte{}}}},
	},
	{
		name:  "PROXY with family UNSPEC means the real addresses",
		input: rawV2(v2Proxy, 0x00),
		want:  Header{Version: 2, Command: CommandProxy},
	},
	{
		name: "registered TLVs kept in order, NOOP, empty and unknown ones included",
		input: rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 1, 2),
			rawTLV(TypeALPN, []byte("h2")), rawTLV(TypeAuthority, []byte("example.com")),
			rawTLV(TypeNOOP, []byte{0, 0, 0}), rawTLV(TypeUniqueID, bytes.Repeat([]byte{7}, 128)),
			rawTLV(TypeNetNS, []byte("blue")), rawTLV(0xe0, []byte("custom")), rawTLV(0xf0, nil),
			rawTLV(0xff, []byte("future"))),
		want: proxyV2(TransportStream, tcp("192.0.2.1", 1), tcp("198.51.100.1", 2),
			TLV{Type: TypeALPN, Value: []byte("h2")}, TLV{Type: TypeAuthority, Value: []byte("example.com")},
			TLV{Type: TypeNOOP, Value: []byte{0, 0, 0}}, TLV{Type: TypeUniqueID, Value: bytes.Repeat([]byte{7}, 128)},
			TLV{Type: TypeNetNS, Value: []byte("blue")}, TLV{Type: 0xe0, Value: []byte("custom")},
			TLV{Type: 0xf0, Value: []byte{}}, TLV{Type: 0xff, Value: []byte("future")}),
	},
	{
		name:  "a CRC32C TLV that matches",
		input: crcSealedTCP4(),
		want: proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443),
			TLV{Type: TypeAuthority, Value: []byte("example.com")},
			TLV{Type: TypeCRC32C, Value: crcSealedTCP4()[len(crcSealedTCP4())-4:]}),
	},
	{
		name: "an SSL TLV with sub-TLVs",
		input: rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 1, 2),
			rawTLV(TypeSSL, sslValue(0x07, 0, rawTLV(SubtypeSSLVersion, []byte("TLSv1.3")),
				rawTLV(SubtypeSSLCN, []byte("client.example"))))),
		want: proxyV2(TransportStream, tcp("192.0.2.1", 1), tcp("198.51.100.1", 2),
			TLV{Type: TypeSSL, Value: sslValue(0x07, 0, rawTLV(SubtypeSSLVersion, []byte("TLSv1.3")),
				rawTLV(SubtypeSSLCN, []byte("client.example")))}),
	},
	{
		name:  "an SSL TLV of its 5 fixed bytes only",
		input: rawV2(v2Proxy, 0x00, rawTLV(TypeSSL, sslValue(0, 1))),
		want:  Header{Version: 2, Command: CommandProxy, TLVs: []TLV{{Type: TypeSSL, Value: sslValue(0, 1)}}},
	},
	{
		name:  "a header of exactly the default limit",
		input: rawV2(v2Proxy, 0x00, rawTLV(TypeNOOP, make([]byte, DefaultMaxV2Length-V2FixedLength-3))),
		want: Header{Version: 2, Command: CommandProxy,
			TLVs: []TLV{{Type: TypeNOOP, Value: make([]byte, DefaultMaxV2Length-V2FixedLength-3)}}},
	},
}

func TestV2HeaderIsParsedAndPayloadLeftUnread(t *testing.T) {
	checkAcceptances(t, v2Accepted)
}

func TestV2HeaderSharesNoMemoryWithTheBuffer(t *testing.T) {
	buf := rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 1, 2), rawTLV(TypeALPN, []byte("h2")))
	h, _, err := Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range buf {
		buf[i] = 0xaa
	}
	want := proxyV2(TransportStream, tcp("192.0.2.1", 1), tcp("198.51.100.1", 2), TLV{Type: TypeALPN, Value: []byte("h2")})
	if d := headerDiff(h, want, false); d != "" {
		t.Errorf("after the buffer was overwritten: %s", d)
	}
}

func TestV2SSLTLVIsDecoded(t *testing.T) {
	buf := rawV2(v2Proxy, 0x00, rawTLV(TypeSSL, sslValue(byte(SSLClientSSL|SSLClientCertConn), 0x01020304,
		rawTLV(SubtypeSSLVersion, []byte("TLSv1.3")), rawTLV(SubtypeSSLCipher, []byte("TLS_AES_128_GCM_SHA256")),
		rawTLV(0x7f, nil))))
	h, _, err := Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := h.SSL()
	if !ok {
		t.Fatal("SSL() found no SSL TLV")
	}
	if s.Client != SSLClientSSL|SSLClientCertConn || s.Verify != 0x01020304 || len(s.TLVs) != 3 {
		t.Fatalf("SSL() = %+v", s)
	}
	if v, ok := s.Lookup(SubtypeSSLVersion); !ok || string(v) != "TLSv1.3" {
		t.Errorf("version = %q, %v", v, ok)
	}
	if v, ok := s.Lookup(SubtypeSSLCipher); !ok || string(v) != "TLS_AES_128_GCM_SHA256" {
		t.Errorf("cipher = %q, %v", v, ok)
	}
	if _, ok := s.Lookup(SubtypeSSLCN); ok {
		t.Error("Lookup found a CN the TLV does not hold")
	}
	if _, ok := (&Header{}).SSL(); ok {
		t.Error("SSL() of a header without TLVs reported one")
	}
}

func TestV2LimitIsConfigurable(t *testing.T) {
	tcp4 := rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 1, 2)) // 28 bytes
	if _, _, err := (Parser{MaxV2Length: len(tcp4)}).Parse(tcp4); err != nil {
		t.Errorf("a header of exactly the limit: %v", err)
	}
	h, n, err := Parser{MaxV2Length: len(tcp4) - 1}.Parse(tcp4)
	checkRefusal(t, h, n, err, ErrTooLong)

	largest := rawV2(v2Proxy, 0x00, rawTLV(0xe0, make([]byte, 0xffff-3)))
	if _, n, err := (Parser{MaxV2Length: MaxV2Length}).Parse(largest); err != nil || n != MaxV2Length {
		t.Errorf("the largest header under MaxV2Length: n = %d, err = %v", n, err)
	}
}

// v2Refused are version 2 inputs that break a rule, each with the error it must wrap.
var v2Refused = []refusal[[]byte]{
	{name: "version 1 in the version nibble", input: rawV2(0x11, 0x00), want: ErrMalformed},
	{name: "version 3 in the version nibble", input: rawV2(0x31, 0x00), want: ErrMalformed},
	{name: "version 0 in the version nibble", input: rawV2(0x01, 0x00), want: ErrMalformed},
	{name: "command 2", input: rawV2(0x22, 0x00), want: ErrMalformed},
	{name: "command 15", input: rawV2(0x2f, 0x00), want: ErrMalformed},
	{name: "family 4", input: rawV2(v2Proxy, 0x41, make([]byte, 12)), want: ErrMalformed},
	{name: "transport 3", input: rawV2(v2Proxy, 0x13, make([]byte, 12)), want: ErrMalformed},
	{name: "family INET with transport UNSPEC", input: rawV2(v2Proxy, 0x10, make([]byte, 12)), want: ErrMalformed},
	{name: "family UNSPEC with transport STREAM", input: rawV2(v2Proxy, 0x01), want: ErrMalformed},
	{name: "an unknown family under LOCAL too", input: rawV2(v2Local, 0xff), want: ErrMalformed},
	{name: "IPv4 block of 11 bytes", input: rawV2(v2Proxy, 0x11, make([]byte, 11)), want: ErrMalformed},
	{name: "IPv6 block of 35 bytes", input: rawV2(v2Proxy, 0x21, make([]byte, 35)), want: ErrMalformed},
	{name: "Unix block of 215 bytes", input: rawV2(v2Proxy, 0x31, make([]byte, 215)), want: ErrMalformed},
	{name: "LOCAL announcing IPv4 without its block", input: rawV2(v2Local, 0x11), want: ErrMalformed},
	{
		name:  "a length past the default limit",
		input: rawV2Length(v2Proxy, 0x00, DefaultMaxV2Length-V2FixedLength+1),
		want:  ErrTooLong,
	},
	{
		name:  "the largest length there is",
		input: rawV2Length(v2Proxy, 0x00, 0xffff),
		want:  ErrTooLong,
	},
	{name: "one byte left for a TLV", input: rawV2(v2Proxy, 0x00, []byte{1}), want: ErrMalformed},
	{name: "two bytes left for a TLV", input: rawV2(v2Proxy, 0x00, rawTLV(TypeNOOP, nil), []byte{1, 0}), want: ErrMalformed},
	{name: "a TLV running past the header", input: rawV2(v2Proxy, 0x00, rawTLV(TypeALPN, []byte("h2"))[:4]), want: ErrMalformed},
	{
		name:  "a TLV running past the header into the payload",
		input: append(rawV2Length(v2Proxy, 0x00, 4, rawTLV(TypeALPN, []byte("h2"))[:4]), 'x'),
		want:  ErrMalformed,
	},
	{name: "a CRC32C TLV of 3 bytes", input: rawV2(v2Proxy, 0x00, rawTLV(TypeCRC32C, []byte{1, 2, 3})), want: ErrMalformed},
	{name: "a CRC32C TLV of 5 bytes", input: rawV2(v2Proxy, 0x00, rawTLV(TypeCRC32C, []byte{1, 2, 3, 4, 5})), want: ErrMalformed},
	{
		name:  "a second CRC32C TLV",
		input: rawV2(v2Proxy, 0x00, rawTLV(TypeCRC32C, make([]byte, 4)), rawTLV(TypeCRC32C, make([]byte, 4))),
		want:  ErrMalformed,
	},
	{name: "a CRC32C TLV that does not match", input: flipByte(crcSealedTCP4(), 20), want: ErrChecksum},
	{name: "a CRC32C TLV of zeros", input: rawV2(v2Proxy, 0x00, rawTLV(TypeCRC32C, make([]byte, 4))), want: ErrChecksum},
	{name: "a UNIQUE_ID of 129 bytes", input: rawV2(v2Proxy, 0x00, rawTLV(TypeUniqueID, make([]byte, 129))), want: ErrMalformed},
	{name: "an SSL TLV of 4 bytes", input: rawV2(v2Proxy, 0x00, rawTLV(TypeSSL, []byte{1, 0, 0, 0})), want: ErrMalformed},
	{
		name:  "an SSL sub-TLV running past the SSL TLV",
		input: rawV2(v2Proxy, 0x00, rawTLV(TypeSSL, sslValue(1, 0, rawTLV(SubtypeSSLVersion, []byte("TLSv1.3"))[:5]))),
		want:  ErrMalformed,
	},
	{
		name:  "an SSL TLV ending in a partial sub-TLV header",
		input: rawV2(v2Proxy, 0x00, rawTLV(TypeSSL, sslValue(1, 0, []byte{0x21, 0}))),
		want:  ErrMalformed,
	},
}

func flipByte(b []byte, i int) []byte {
	b[i] ^= 0x01
	return b
}

func TestV2HeaderBreakingTheSpecificationIsRefused(t *testing.T) {
	checkRefusals(t, v2Refused, false)
}

func TestV2SignatureMismatchAtAnyByteIsNotProxy(t *testing.T) {
	for i := range len(v2Signature) {
		input := []byte(v2Signature[:i+1])
		input[i] ^= 0x40
		t.Run(fmt.Sprintf("byte %d", i), func(t *testing.T) {
			h, n, err := Parse(input)
			checkRefusal(t, h, n, err, ErrNotProxy)
		})
	}
}

// TestV2FaultIsRefusedFromTheFixedBytes proves the early decisions: each input holds no more
// than the bytes that show its fault, and the header's rest never arrives.
func TestV2FaultIsRefusedFromTheFixedBytes(t *testing.T) {
	checkRefusals(t, []refusal[[]byte]{
		{name: "a bad version from 13 bytes", input: rawV2(0x31, 0x11)[:13], want: ErrMalformed},
		{name: "a bad command from 13 bytes", input: rawV2(0x23, 0x11)[:13], want: ErrMalformed},
		{name: "a bad family from 14 bytes", input: rawV2(v2Proxy, 0x51)[:14], want: ErrMalformed},
		{name: "a length past the limit from 16 bytes", input: rawV2Length(v2Proxy, 0x21, 0x8000), want: ErrTooLong},
		{name: "a length too short for the family from 16 bytes", input: rawV2Length(v2Proxy, 0x21, 12), want: ErrMalformed},
	}, true)
}

func TestV2ChangedByteOfACheckedHeaderIsNeverAccepted(t *testing.T) {
	sealed := crcSealedTCP4()
	crcType := len(sealed) - crc32cLength - tlvHeaderLength
	for i := range sealed {
		switch i {
		case lengthFieldOffset, lengthFieldOffset + 1:
			continue // a shorter length can leave the CRC32C TLV out of the header
		case crcType:
			continue // another type makes it an unchecked TLV: the checksum cannot guard its own type
		}
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			input := bytes.Clone(sealed)
			input[i] ^= mask
			if _, _, err := Parse(input); err == nil {
				t.Errorf("byte %d xor %#02x: accepted", i, mask)
			}
		}
	}
}

func TestCRC32CIsCastagnoliAsTheSpecificationCites(t *testing.T) {
	if got := crc32cBitwise([]byte("123456789")); got != 0xe3069283 {
		t.Fatalf("reference CRC-32C of the check string = %#08x, want 0xe3069283", got)
	}
	header := crcSealedTCP4()
	at := len(header) - 4
	want := binary.BigEndian.Uint32(header[at:])
	if got := headerCRC32C(header, at); got != want {
		t.Errorf("headerCRC32C = %#08x, the bitwise reference %#08x", got, want)
	}
	if binary.BigEndian.Uint32(header[at:]) != want {
		t.Error("headerCRC32C modified the header")
	}
}
