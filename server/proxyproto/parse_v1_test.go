package proxyproto

import (
	"strings"
	"testing"
)

func tcpV1(src string, srcPort int, dst string, dstPort int) Header {
	return Header{Version: 1, Command: CommandProxy, Transport: TransportStream,
		Source: tcp(src, srcPort), Destination: tcp(dst, dstPort)}
}

// v1Accepted are valid version 1 lines.
var v1Accepted = []acceptance[string]{
	{
		name:  "the specification's TCP4 example",
		input: "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n",
		want:  tcpV1("192.168.0.1", 56324, "192.168.0.11", 443),
	},
	{
		name:  "TCP4 at its longest, 56 bytes",
		input: "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n",
		want:  tcpV1("255.255.255.255", 65535, "255.255.255.255", 65535),
	},
	{
		name:  "TCP4 with zero octets and port 0",
		input: "PROXY TCP4 0.0.0.0 10.0.0.1 0 1\r\n",
		want:  tcpV1("0.0.0.0", 0, "10.0.0.1", 1),
	},
	{
		name:  "TCP6 at its longest, 104 bytes, in upper and lower case",
		input: "PROXY TCP6 FFFF:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:FFFF 65535 65535\r\n",
		want:  tcpV1("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535),
	},
	{
		name:  "TCP6 with :: at the start and in the middle",
		input: "PROXY TCP6 ::1 2001:db8::7 40000 443\r\n",
		want:  tcpV1("::1", 40000, "2001:db8::7", 443),
	},
	{
		name:  "TCP6 with :: at the end and for a single group",
		input: "PROXY TCP6 fe80:: 1:2:3:4:5:6::8 1 2\r\n",
		want:  tcpV1("fe80::", 1, "1:2:3:4:5:6:0:8", 2),
	},
	{
		name:  "TCP6 with the unspecified address and zero-padded groups",
		input: "PROXY TCP6 :: 2001:0db8:0000:0000:0000:0000:0000:0001 1 2\r\n",
		want:  tcpV1("::", 1, "2001:db8::1", 2),
	},
	{
		name:  "TCP6 with IPv4-mapped addresses in dotted form, as inet_ntop writes them",
		input: "PROXY TCP6 ::ffff:192.0.2.1 0:0:0:0:0:ffff:192.0.2.2 1 2\r\n",
		want:  tcpV1("::ffff:192.0.2.1", 1, "::ffff:192.0.2.2", 2),
	},
	{
		name:  "UNKNOWN alone",
		input: "PROXY UNKNOWN\r\n",
		want:  Header{Version: 1, Command: CommandProxy},
	},
	{
		name:  "UNKNOWN with addresses, which are ignored",
		input: "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n",
		want:  Header{Version: 1, Command: CommandProxy},
	},
	{
		name:  "UNKNOWN with anything before the CRLF, lone CR and LF included",
		input: "PROXY UNKNOWN \x00 garbage\r \n \xff\r\n",
		want:  Header{Version: 1, Command: CommandProxy},
	},
	{
		name:  "UNKNOWN whose CRLF ends exactly at byte 107",
		input: "PROXY UNKNOWN " + strings.Repeat("x", MaxV1Length-len("PROXY UNKNOWN \r\n")) + "\r\n",
		want:  Header{Version: 1, Command: CommandProxy},
	},
}

func TestV1LineIsParsedAndPayloadLeftUnread(t *testing.T) {
	checkAcceptances(t, v1Accepted)
}

// v1Refused are version 1 inputs that break a rule, each with the error it must wrap.
var v1Refused = []refusal[string]{
	// The signature.
	{name: "HTTP request", input: "GET / HTTP/1.1\r\n", want: ErrNotProxy},
	{name: "signature in lower case", input: "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", want: ErrNotProxy},
	{name: "a near miss of the signature", input: "PROXX TCP4", want: ErrNotProxy},
	{name: "TLS ClientHello", input: "\x16\x03\x01\x02\x00\x01", want: ErrNotProxy},
	{name: "signature without its space", input: "PROXY\r\n", want: ErrMalformed},
	// The protocol.
	{name: "two spaces after PROXY", input: "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "protocol in lower case", input: "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "UDP4 is no version 1 protocol", input: "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "TCP5", input: "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "UNKNOWN run into more letters", input: "PROXY UNKNOWNX\r\n", want: ErrMalformed},
	{name: "UNKNOWN ended by a lone CR", input: "PROXY UNKNOWN\rX", want: ErrMalformed},
	{name: "UNKNOWN ended by a lone LF", input: "PROXY UNKNOWN\n", want: ErrMalformed},
	{name: "TCP4 ended by CRLF", input: "PROXY TCP4\r\n", want: ErrMalformed},
	// Separators.
	{name: "two spaces between fields", input: "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "a tab between fields", input: "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "a space before the CRLF", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", want: ErrMalformed},
	{name: "a missing destination port", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", want: ErrMalformed},
	{name: "a fifth field", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", want: ErrMalformed},
	// The end of the line.
	{name: "ended by LF alone", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", want: ErrMalformed},
	{name: "ended by CR alone", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rGET", want: ErrMalformed},
	{name: "ended by CR CR LF", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", want: ErrMalformed},
	{
		name:  "UNKNOWN without CRLF in 107 bytes",
		input: "PROXY UNKNOWN " + strings.Repeat("x", MaxV1Length),
		want:  ErrTooLong,
	},
	{
		name:  "UNKNOWN whose CRLF would end at byte 108",
		input: "PROXY UNKNOWN " + strings.Repeat("x", MaxV1Length-len("PROXY UNKNOWN \r\n")+1) + "\r\n",
		want:  ErrTooLong,
	},
	{
		name: "TCP6 of valid but long dotted forms past 107 bytes",
		input: "PROXY TCP6 0000:0000:0000:0000:0000:ffff:255.255.255.255 " +
			"0000:0000:0000:0000:0000:ffff:255.255.255.255 65535 65535\r\n",
		want: ErrTooLong,
	},
	// IPv4 addresses.
	{name: "IPv4 octet with a leading zero", input: "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 octet 00", input: "PROXY TCP4 1.2.3.4 5.6.7.00 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 octet over 255", input: "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 of three octets", input: "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 of five octets", input: "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 with an empty octet", input: "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 ending in a dot", input: "PROXY TCP4 1.2.3.4. 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 as one number", input: "PROXY TCP4 16909060 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 in hex", input: "PROXY TCP4 0x1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 with a sign", input: "PROXY TCP4 +1.2.3.4 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv4 longer than 15 bytes", input: "PROXY TCP4 1.2.3.4000000000000 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 address on a TCP4 line", input: "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", want: ErrMalformed},
	{name: "empty IPv4 address", input: "PROXY TCP4  5.6.7.8 1 2\r\n", want: ErrMalformed},
	// IPv6 addresses.
	{name: "IPv4 address on a TCP6 line", input: "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with two ::", input: "PROXY TCP6 1::2::3 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with :::", input: "PROXY TCP6 1:::2 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 of nine groups", input: "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 of seven groups without ::", input: "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with :: among eight groups", input: "PROXY TCP6 1:2:3:4::5:6:7:8 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 group of five digits", input: "PROXY TCP6 12345::1 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 starting with one colon", input: "PROXY TCP6 :1::2 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 ending with one colon", input: "PROXY TCP6 1::2: ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with a zone", input: "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 in brackets", input: "PROXY TCP6 [::1] ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with dotted IPv4 not at the end", input: "PROXY TCP6 ::1.2.3.4:1 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with dotted IPv4 past 128 bits", input: "PROXY TCP6 1:2:3:4:5:6:7:1.2.3.4 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with a leading zero in its dotted IPv4", input: "PROXY TCP6 ::ffff:1.02.3.4 ::1 1 2\r\n", want: ErrMalformed},
	{name: "IPv6 with a non-hex letter", input: "PROXY TCP6 ::g ::1 1 2\r\n", want: ErrMalformed},
	// Ports.
	{name: "port with a leading zero", input: "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", want: ErrMalformed},
	{name: "port 00", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 00\r\n", want: ErrMalformed},
	{name: "port 65536", input: "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", want: ErrMalformed},
	{name: "port of six digits", input: "PROXY TCP4 1.2.3.4 5.6.7.8 100000 2\r\n", want: ErrMalformed},
	{name: "negative port", input: "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", want: ErrMalformed},
	{name: "port with a plus sign", input: "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n", want: ErrMalformed},
	{name: "port in hex", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 0x50\r\n", want: ErrMalformed},
}

func TestV1LineBreakingTheSpecificationIsRefused(t *testing.T) {
	checkRefusals(t, v1Refused, false)
}

// TestV1FaultIsRefusedBeforeTheLineEnds proves the early decisions: each input is a line cut
// right after the byte that shows the fault, and must be refused without waiting for a CRLF.
func TestV1FaultIsRefusedBeforeTheLineEnds(t *testing.T) {
	checkRefusals(t, []refusal[string]{
		{name: "a first byte that starts no signature", input: "G", want: ErrNotProxy},
		{name: "a wrong byte inside PROXY", input: "PRX", want: ErrNotProxy},
		{name: "an unknown protocol", input: "PROXY TCP7", want: ErrMalformed},
		{name: "a letter in an IPv4 address", input: "PROXY TCP4 1.2.a", want: ErrMalformed},
		{name: "an IPv4 address too long to be one", input: "PROXY TCP4 1111111111111111", want: ErrMalformed},
		{name: "a bad IPv4 address once its space arrives", input: "PROXY TCP4 1.2.3.999 ", want: ErrMalformed},
		{name: "a port too long to be one", input: "PROXY TCP4 1.2.3.4 5.6.7.8 123456", want: ErrMalformed},
		{name: "a CR not followed by LF", input: "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", want: ErrMalformed},
		{name: "107 bytes of UNKNOWN without CRLF", input: "PROXY UNKNOWN " + strings.Repeat("x", MaxV1Length-len("PROXY UNKNOWN ")), want: ErrTooLong},
		{name: "107 bytes ending in CR", input: "PROXY UNKNOWN " + strings.Repeat("x", MaxV1Length-len("PROXY UNKNOWN ")-1) + "\r", want: ErrTooLong},
	}, true)
}

func TestV1TextParsersAcceptOnlyTheSpecifiedForms(t *testing.T) {
	ipv4 := map[string]bool{
		"0.0.0.0": true, "255.255.255.255": true, "10.0.0.1": true,
		"": false, "1": false, "1.2.3": false, "1.2.3.4.": false, ".1.2.3": false, "256.1.1.1": false,
		"1.2.3.04": false, "1.2.3.0x4": false, "1.2.3. 4": false, "1.2.3.1000": false,
	}
	for text, want := range ipv4 {
		if _, ok := parseIPv4Text([]byte(text)); ok != want {
			t.Errorf("parseIPv4Text(%q) ok = %v, want %v", text, ok, want)
		}
	}
	ipv6 := map[string]string{ // text: the address it is, or "" for none
		"::": "::", "::1": "::1", "1::": "1::", "1:2:3:4:5:6:7:8": "1:2:3:4:5:6:7:8",
		"1::8": "1::8", "1:2:3:4:5:6:7::": "1:2:3:4:5:6:7:0", "::2:3:4:5:6:7:8": "0:2:3:4:5:6:7:8",
		"::1.2.3.4": "::102:304", "1:2:3:4:5:6:1.2.3.4": "1:2:3:4:5:6:102:304", "ABCD::ef": "abcd::ef",
		"": "", ":": "", ":::": "", "1:2:3:4:5:6:7:8::": "", "::1:2:3:4:5:6:7:8": "", "1::2::3": "",
		"1:2:3:4:5:6:7": "", "1:2:3:4:5:6:7:8:9": "", "00000::": "", "1.2.3.4": "", "::1.2.3": "",
		"1:2:3:4:5:6:7:1.2.3.4": "", "::1.2.3.4:5": "", "::ffff:1.2.3.256": "", "fe80::1%1": "",
	}
	for text, want := range ipv6 {
		ip, ok := parseIPv6Text([]byte(text))
		switch {
		case ok != (want != ""):
			t.Errorf("parseIPv6Text(%q) ok = %v, want %v", text, ok, want != "")
		case ok && !mustIP(want).Equal(ip[:]):
			t.Errorf("parseIPv6Text(%q) = %v, want %v", text, ip, want)
		}
	}
	ports := map[string]int{"0": 0, "1": 1, "65535": 65535, "": -1, "00": -1, "01": -1, "65536": -1, "99999": -1, "-1": -1}
	for text, want := range ports {
		port, ok := parsePortText([]byte(text))
		if ok != (want >= 0) || (ok && port != want) {
			t.Errorf("parsePortText(%q) = %d, %v; want %d", text, port, ok, want)
		}
	}
}
