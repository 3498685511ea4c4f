package proxyproto

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
)

func appendVersion(version int, dst []byte, h Header) ([]byte, error) {
	if version == 1 {
		return AppendV1(dst, h)
	}
	return AppendV2(dst, h)
}

func mustSSLTLV(s SSL) TLV {
	tlv, err := s.TLV()
	if err != nil {
		panic(err)
	}
	return tlv
}

var roundTrips = []struct {
	name    string
	version int
	header  Header
}{
	{name: "v1 TCP4", version: 1, header: tcpV1("192.0.2.1", 50000, "198.51.100.1", 443)},
	{name: "v1 TCP6", version: 1, header: tcpV1("2001:db8::1", 1, "2001:db8::2", 65535)},
	{name: "v1 TCP4 from 16-byte IPv4 addresses", version: 1, header: Header{Command: CommandProxy,
		Source: &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 1}, Destination: &net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 2}}},
	{name: "v1 TCP6 from mixed families", version: 1, header: tcpV1("192.0.2.1", 1, "2001:db8::2", 2)},
	{name: "v1 UNKNOWN", version: 1, header: Header{Command: CommandProxy}},
	{name: "v2 TCP over IPv4", version: 2, header: proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443))},
	{name: "v2 UDP over IPv4", version: 2, header: proxyV2(TransportDatagram, udp("192.0.2.1", 0), udp("198.51.100.1", 53))},
	{name: "v2 TCP over IPv6", version: 2, header: proxyV2(TransportStream, tcp("2001:db8::1", 1), tcp("::1", 2))},
	{name: "v2 UDP over IPv6", version: 2, header: proxyV2(TransportDatagram, udp("2001:db8::1", 1), udp("::1", 2))},
	{name: "v2 mixed families as IPv6", version: 2, header: proxyV2(TransportStream, tcp("192.0.2.1", 1), tcp("::1", 2))},
	{name: "v2 Unix stream", version: 2, header: proxyV2(TransportStream, unixAddr("/run/c.sock", "unix"), unixAddr(strings.Repeat("s", 108), "unix"))},
	{name: "v2 Unix datagram, abstract and unnamed", version: 2, header: proxyV2(TransportDatagram, unixAddr("@"+strings.Repeat("a", 107), "unixgram"), unixAddr("", "unixgram"))},
	{name: "v2 Unix path \"@\", which is no abstract name", version: 2, header: proxyV2(TransportStream, unixAddr("@", "unix"), unixAddr("@x", "unix"))},
	{name: "v2 LOCAL", version: 2, header: Header{Version: 2, Command: CommandLocal}},
	{name: "v2 LOCAL with a TLV", version: 2, header: Header{Version: 2, Command: CommandLocal, TLVs: []TLV{{Type: TypeNOOP, Value: []byte{}}}}},
	{name: "v2 PROXY UNSPEC", version: 2, header: Header{Version: 2, Command: CommandProxy}},
	{
		name: "v2 with every registered TLV and a checksum", version: 2,
		header: proxyV2(TransportStream, tcp("192.0.2.1", 1), tcp("198.51.100.1", 2),
			TLV{Type: TypeALPN, Value: []byte("http/1.1")},
			TLV{Type: TypeAuthority, Value: []byte("example.com")},
			TLV{Type: TypeCRC32C},
			TLV{Type: TypeNOOP, Value: []byte{}},
			TLV{Type: TypeUniqueID, Value: bytes.Repeat([]byte{1}, 128)},
			mustSSLTLV(SSL{Client: SSLClientSSL | SSLClientCertSess, Verify: 0, TLVs: []TLV{
				{Type: SubtypeSSLVersion, Value: []byte("TLSv1.2")},
				{Type: SubtypeSSLCN, Value: []byte("client")},
				{Type: SubtypeSSLCipher, Value: []byte("ECDHE-RSA-AES128-GCM-SHA256")},
				{Type: SubtypeSSLSigAlg, Value: []byte("RSA-SHA256")},
				{Type: SubtypeSSLKeyAlg, Value: []byte("RSA2048")},
				{Type: SubtypeSSLGroup, Value: []byte("secp256r1")},
				{Type: SubtypeSSLSigScheme, Value: []byte("rsa_pss_rsae_sha256")},
				{Type: SubtypeSSLClientCert, Value: []byte{0x30, 0x82}},
			}}),
			TLV{Type: TypeNetNS, Value: []byte("blue")},
			TLV{Type: 0xe5, Value: []byte("custom")}),
	},
}

func TestEncodedHeaderParsesBackTheSame(t *testing.T) {
	for _, tc := range roundTrips {
		t.Run(tc.name, func(t *testing.T) {
			encoded, err := appendVersion(tc.version, nil, tc.header)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			h, n, err := Parser{MaxV2Length: MaxV2Length}.Parse(encoded)
			if err != nil {
				t.Fatalf("Parse(%q): %v", encoded, err)
			}
			if n != len(encoded) {
				t.Errorf("n = %d, want all %d bytes", n, len(encoded))
			}
			want := tc.header
			want.Version = tc.version
			if want.Source != nil {
				_, datagram := want.Source.(*net.UDPAddr)
				if unix, ok := want.Source.(*net.UnixAddr); ok {
					datagram = unix.Net == "unixgram"
				}
				want.Transport = TransportStream
				if datagram {
					want.Transport = TransportDatagram
				}
			}
			if d := headerDiff(h, want, true); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestEncoderWritesTheSpecifiedBytes(t *testing.T) {
	tests := []struct {
		name    string
		version int
		header  Header
		want    []byte
	}{
		{
			name: "the specification's TCP4 example", version: 1,
			header: tcpV1("192.168.0.1", 56324, "192.168.0.11", 443),
			want:   []byte("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
		},
		{
			name: "IPv4 beside IPv6 mapped into IPv6", version: 1,
			header: tcpV1("192.0.2.1", 1, "2001:db8::2", 2),
			want:   []byte("PROXY TCP6 ::ffff:192.0.2.1 2001:db8::2 1 2\r\n"),
		},
		{
			name: "no addresses as UNKNOWN", version: 1,
			header: Header{Command: CommandProxy},
			want:   []byte("PROXY UNKNOWN\r\n"),
		},
		{
			name: "TCP over IPv4", version: 2,
			header: proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443)),
			want:   rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 50000, 443)),
		},
		{
			name: "UDP over IPv6, zones dropped", version: 2,
			header: proxyV2(TransportDatagram, &net.UDPAddr{IP: mustIP("fe80::1"), Port: 1, Zone: "eth0"}, udp("::1", 2)),
			want:   rawV2(v2Proxy, 0x22, inet6Block("fe80::1", "::1", 1, 2)),
		},
		{
			name: "Unix stream with an abstract name", version: 2,
			header: proxyV2(TransportStream, unixAddr("@abs", "unix"), unixAddr("/s", "unix")),
			want:   rawV2(v2Proxy, 0x31, unixField("\x00abs"), unixField("/s")),
		},
		{
			name: "Unix datagram with the path \"@\"", version: 2,
			header: proxyV2(TransportDatagram, unixAddr("@", "unixgram"), unixAddr("", "unixgram")),
			want:   rawV2(v2Proxy, 0x32, unixField("@"), unixField("")),
		},
		{
			name: "LOCAL", version: 2,
			header: Header{Command: CommandLocal},
			want:   rawV2(v2Local, 0x00),
		},
		{
			name: "a checksum the bitwise reference agrees with", version: 2,
			header: proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443),
				TLV{Type: TypeAuthority, Value: []byte("example.com")}, TLV{Type: TypeCRC32C, Value: []byte{9, 9, 9, 9}}),
			want: crcSealedTCP4(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := appendVersion(tc.version, []byte("before"), tc.header)
			if err != nil {
				t.Fatal(err)
			}
			if want := append([]byte("before"), tc.want...); !bytes.Equal(got, want) {
				t.Errorf("wrote\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestHeaderThatCannotBeEncodedIsRefused(t *testing.T) {
	tcp4 := Header{Command: CommandProxy, Source: tcp("192.0.2.1", 1), Destination: tcp("192.0.2.2", 2)}
	with := func(h Header, change func(*Header)) Header {
		change(&h)
		return h
	}
	pair := func(src, dst net.Addr) Header { return Header{Command: CommandProxy, Source: src, Destination: dst} }
	tests := []struct {
		name    string
		version int
		header  Header
		reason  string // what the error must say
	}{
		{name: "version 1 of a version 2 header", version: 1, header: with(tcp4, func(h *Header) { h.Version = 2 }), reason: "version 2 header"},
		{name: "version 2 of a version 1 header", version: 2, header: with(tcp4, func(h *Header) { h.Version = 1 }), reason: "version 1 header"},
		{name: "version 1 LOCAL", version: 1, header: Header{Command: CommandLocal}, reason: "no LOCAL"},
		{name: "version 1 TLVs", version: 1, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeNOOP}} }), reason: "no TLVs"},
		{name: "version 1 UDP", version: 1, header: pair(udp("192.0.2.1", 1), udp("192.0.2.2", 2)), reason: "only TCP"},
		{name: "version 1 Unix", version: 1, header: pair(unixAddr("/a", "unix"), unixAddr("/b", "unix")), reason: "only TCP"},
		{name: "command 2", version: 2, header: with(tcp4, func(h *Header) { h.Command = 2 }), reason: "neither LOCAL nor PROXY"},
		{name: "LOCAL with addresses", version: 2, header: with(tcp4, func(h *Header) { h.Command = CommandLocal }), reason: "LOCAL header carries no addresses"},
		{name: "a source without a destination", version: 2, header: with(tcp4, func(h *Header) { h.Destination = nil }), reason: "not two addresses of one kind"},
		{name: "a destination without a source", version: 2, header: with(tcp4, func(h *Header) { h.Source = nil }), reason: "destination without a source"},
		{name: "TCP beside UDP", version: 2, header: with(tcp4, func(h *Header) { h.Destination = udp("192.0.2.2", 2) }), reason: "not two addresses of one kind"},
		{name: "a nil *net.TCPAddr", version: 2, header: with(tcp4, func(h *Header) { h.Destination = (*net.TCPAddr)(nil) }), reason: "not two addresses of one kind"},
		{name: "a nil *net.UDPAddr", version: 2, header: pair((*net.UDPAddr)(nil), udp("192.0.2.2", 2)), reason: "not two addresses of one kind"},
		{name: "an address type of no family", version: 2, header: pair(&net.IPAddr{IP: mustIP("192.0.2.1")}, &net.IPAddr{IP: mustIP("192.0.2.2")}), reason: "type *net.IPAddr"},
		{name: "a transport against the addresses", version: 2, header: with(tcp4, func(h *Header) { h.Transport = TransportDatagram }), reason: "contradicts"},
		{name: "a transport without addresses", version: 2, header: Header{Command: CommandProxy, Transport: TransportStream}, reason: "without addresses"},
		{name: "a port over 65535", version: 2, header: with(tcp4, func(h *Header) { h.Source = tcp("192.0.2.1", 65536) }), reason: "port 65536"},
		{name: "a negative port", version: 1, header: with(tcp4, func(h *Header) { h.Destination = tcp("192.0.2.2", -1) }), reason: "port -1"},
		{name: "an IP of neither length", version: 2, header: with(tcp4, func(h *Header) { h.Source = &net.TCPAddr{IP: net.IP{1, 2, 3}} }), reason: "neither IPv4 nor IPv6"},
		{name: "a nil IP", version: 1, header: with(tcp4, func(h *Header) { h.Source = &net.TCPAddr{Port: 1} }), reason: "neither IPv4 nor IPv6"},
		{name: "Unix sockets of different types", version: 2, header: pair(unixAddr("/a", "unix"), unixAddr("/b", "unixgram")), reason: "not two addresses of one kind"},
		{name: "a unixpacket socket", version: 2, header: pair(unixAddr("/a", "unixpacket"), unixAddr("/b", "unixpacket")), reason: "neither unix nor unixgram"},
		{name: "a Unix path of 109 bytes", version: 2, header: pair(unixAddr(strings.Repeat("p", 109), "unix"), unixAddr("/b", "unix")), reason: "does not fit"},
		{name: "an abstract name of 108 bytes", version: 2, header: pair(unixAddr("/a", "unix"), unixAddr("@"+strings.Repeat("p", 108), "unix")), reason: "does not fit"},
		{name: "a Unix path with a NUL", version: 2, header: pair(unixAddr("/a\x00b", "unix"), unixAddr("/b", "unix")), reason: "does not fit"},
		{name: "two CRC32C TLVs", version: 2, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeCRC32C}, {Type: TypeCRC32C}} }), reason: "second CRC32C"},
		{name: "a CRC32C TLV of 3 bytes", version: 2, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeCRC32C, Value: []byte{1, 2, 3}}} }), reason: "CRC32C TLV of 3 bytes"},
		{name: "a UNIQUE_ID of 129 bytes", version: 2, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeUniqueID, Value: make([]byte, 129)}} }), reason: "UNIQUE_ID TLV of 129 bytes"},
		{name: "a malformed SSL TLV", version: 2, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeSSL, Value: []byte{1, 0, 0, 0, 0, 0x21}}} }), reason: "sub-TLV"},
		{name: "a TLV of 65536 bytes", version: 2, header: with(tcp4, func(h *Header) { h.TLVs = []TLV{{Type: TypeNOOP, Value: make([]byte, 0x10000)}} }), reason: "more than 65535"},
		{name: "more than 65535 bytes after the fixed part", version: 2, header: with(tcp4, func(h *Header) {
			h.TLVs = []TLV{{Type: TypeNOOP, Value: make([]byte, 0xffff-3)}, {Type: TypeNOOP}}
		}), reason: "bytes after the fixed header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := []byte("kept")
			got, err := appendVersion(tc.version, dst, tc.header)
			if !errors.Is(err, ErrUnencodable) || !strings.HasPrefix(err.Error(), "gnet: ") {
				t.Fatalf("err = %v, want one wrapping ErrUnencodable", err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("err = %v, want it to say %q", err, tc.reason)
			}
			if string(got) != "kept" {
				t.Errorf("dst became %q, want it unchanged", got)
			}
		})
	}
}

func TestSSLEncodesToWhatSSLDecodes(t *testing.T) {
	want := SSL{Client: SSLClientSSL | SSLClientCertConn | SSLClientCertSess, Verify: 0xdeadbeef, TLVs: []TLV{
		{Type: SubtypeSSLVersion, Value: []byte("TLSv1.3")}, {Type: SubtypeSSLCN, Value: []byte{}},
	}}
	h := Header{TLVs: []TLV{mustSSLTLV(want)}}
	got, ok := h.SSL()
	if !ok || got.Client != want.Client || got.Verify != want.Verify {
		t.Fatalf("SSL() = %+v, %v; want %+v", got, ok, want)
	}
	if d := headerDiff(Header{TLVs: got.TLVs}, Header{TLVs: want.TLVs}, false); d != "" {
		t.Error(d)
	}
	for name, subValue := range map[string]int{"an SSL value": 0xffff - 5, "a sub-TLV value": 0x10000} {
		s := SSL{TLVs: []TLV{{Type: SubtypeSSLClientCert, Value: make([]byte, subValue)}}}
		if _, err := s.TLV(); !errors.Is(err, ErrUnencodable) {
			t.Errorf("%s past 65535 bytes: err = %v, want ErrUnencodable", name, err)
		}
	}
	if _, ok := (&Header{TLVs: []TLV{{Type: TypeSSL, Value: []byte{1}}}}).SSL(); ok {
		t.Error("SSL() decoded a malformed value")
	}
}

func TestDecodeSSLReadsAValueAndRefusesAMalformedOne(t *testing.T) {
	want := SSL{Client: SSLClientSSL, Verify: 1, TLVs: []TLV{{Type: SubtypeSSLCipher, Value: []byte("TLS_AES_128_GCM_SHA256")}}}
	got, err := DecodeSSL(mustSSLTLV(want).Value)
	if err != nil || got.Client != want.Client || got.Verify != want.Verify {
		t.Fatalf("DecodeSSL = %+v, %v; want %+v", got, err, want)
	}
	if d := headerDiff(Header{TLVs: got.TLVs}, Header{TLVs: want.TLVs}, false); d != "" {
		t.Error(d)
	}
	for name, value := range map[string][]byte{
		"shorter than its fixed part": {1, 0, 0},
		"a sub-TLV past the value":    {1, 0, 0, 0, 0, byte(SubtypeSSLCN), 0, 9, 'x'},
	} {
		if _, err := DecodeSSL(value); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}
