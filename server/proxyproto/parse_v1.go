package proxyproto

import "fmt"

// v1Signature starts every version 1 line; a mismatch within it means the peer does not speak
// the protocol at all.
const v1Signature = "PROXY"

// The version 1 line, after "PROXY ", names its protocol with one of these; "UNKNOWN" may end
// the line at once or be followed by anything up to the CRLF, which the receiver ignores.
var v1Protocols = [...]string{"TCP4 ", "TCP6 ", "UNKNOWN\r\n", "UNKNOWN "}

// v1Field is one space-separated field of a TCP4 or TCP6 line.
type v1Field struct {
	name      string
	maxLength int
	allowed   func(byte) bool
	end       byte // the byte after it: a space, or the CR of the final CRLF
}

func isIPv4TextByte(c byte) bool { return isDecimalDigit(c) || c == '.' }

func isIPv6TextByte(c byte) bool {
	_, isHex := hexDigitValue(c)
	return isHex || c == ':' || c == '.'
}

var (
	v1PortFields = [2]v1Field{
		{name: "source port", maxLength: maxPortTextLength, allowed: isDecimalDigit, end: ' '},
		{name: "destination port", maxLength: maxPortTextLength, allowed: isDecimalDigit, end: '\r'},
	}
	v1TCP4Fields = [4]v1Field{
		{name: "source address", maxLength: maxIPv4TextLength, allowed: isIPv4TextByte, end: ' '},
		{name: "destination address", maxLength: maxIPv4TextLength, allowed: isIPv4TextByte, end: ' '},
		v1PortFields[0], v1PortFields[1],
	}
	v1TCP6Fields = [4]v1Field{
		{name: "source address", maxLength: maxIPv6TextLength, allowed: isIPv6TextByte, end: ' '},
		{name: "destination address", maxLength: maxIPv6TextLength, allowed: isIPv6TextByte, end: ' '},
		v1PortFields[0], v1PortFields[1],
	}
)

// parseV1 parses a version 1 line. It walks the line once, left to right, and stops at the
// first byte that no valid line could have there, so a fault is reported from the fewest
// bytes that show it: a byte outside a field's alphabet or past its longest form at once, a
// field's value when the space or CR after it arrives.
func parseV1(buf []byte) (Header, int, error) {
	pos, err := matchV1Prefix(buf)
	if err != nil {
		return Header{}, 0, err
	}
	protocol, pos, err := matchV1Protocol(buf, pos)
	if err != nil {
		return Header{}, 0, err
	}
	h := Header{Version: 1, Command: CommandProxy}
	switch v1Protocols[protocol] {
	case "UNKNOWN\r\n":
		return h, pos, nil
	case "UNKNOWN ":
		end, err := skipV1Unknown(buf, pos)
		if err != nil {
			return Header{}, 0, err
		}
		return h, end, nil
	case "TCP4 ":
		return parseV1Addresses(buf, pos, &v1TCP4Fields)
	default:
		return parseV1Addresses(buf, pos, &v1TCP6Fields)
	}
}

// matchV1Prefix checks "PROXY " and returns the position after it.
func matchV1Prefix(buf []byte) (int, error) {
	const prefix = v1Signature + " "
	for i := range len(prefix) {
		if i == len(buf) {
			return 0, ErrIncomplete
		}
		if buf[i] == prefix[i] {
			continue
		}
		if i < len(v1Signature) {
			return 0, fmt.Errorf("%w: begins %q", ErrNotProxy, buf[:i+1])
		}
		return 0, fmt.Errorf("%w: %q is not followed by a space", ErrMalformed, v1Signature)
	}
	return len(prefix), nil
}

// matchV1Protocol finds which of v1Protocols follows "PROXY " at pos, and returns its index
// and the position after it.
func matchV1Protocol(buf []byte, pos int) (protocol, end int, err error) {
	for length := 1; ; length++ {
		if pos+length > len(buf) {
			return 0, 0, ErrIncomplete
		}
		seen := buf[pos : pos+length]
		prefixOfAny := false
		for i, p := range v1Protocols {
			if len(p) >= length && p[:length] == string(seen) {
				if len(p) == length {
					return i, pos + length, nil
				}
				prefixOfAny = true
			}
		}
		if !prefixOfAny {
			return 0, 0, fmt.Errorf("%w: protocol %q is none of \"TCP4 \", \"TCP6 \", \"UNKNOWN \" or \"UNKNOWN\\r\\n\"",
				ErrMalformed, seen)
		}
	}
}

// skipV1Unknown finds the CRLF that ends an UNKNOWN line whose rest, from pos, is to be
// ignored, and returns the position after it.
func skipV1Unknown(buf []byte, pos int) (int, error) {
	for ; pos < len(buf); pos++ {
		if buf[pos] == '\n' && buf[pos-1] == '\r' {
			return pos + 1, nil
		}
		if pos >= MaxV1Length-1 {
			return 0, errV1TooLong
		}
	}
	return 0, ErrIncomplete
}

var errV1TooLong = fmt.Errorf("%w: version 1 line without CRLF in its first %d bytes", ErrTooLong, MaxV1Length)

// parseV1Addresses parses the four fields of a TCP4 or TCP6 line from pos and the CRLF that
// ends it.
func parseV1Addresses(buf []byte, pos int, fields *[4]v1Field) (Header, int, error) {
	var values v1Values
	for i := range fields {
		f := &fields[i]
		start := pos
		for {
			if pos == len(buf) {
				return Header{}, 0, ErrIncomplete
			}
			if pos >= MaxV1Length-1 {
				return Header{}, 0, errV1TooLong
			}
			c := buf[pos]
			if c == f.end {
				break
			}
			if !f.allowed(c) {
				return Header{}, 0, fmt.Errorf("%w: byte %q in the %s %q", ErrMalformed, c, f.name, buf[start:pos])
			}
			if pos-start == f.maxLength {
				return Header{}, 0, fmt.Errorf("%w: %s %q is longer than %d bytes",
					ErrMalformed, f.name, buf[start:pos+1], f.maxLength)
			}
			pos++
		}
		if err := values.set(fields, i, buf[start:pos]); err != nil {
			return Header{}, 0, err
		}
		pos++
	}
	if pos == len(buf) {
		return Header{}, 0, ErrIncomplete
	}
	if buf[pos] != '\n' {
		return Header{}, 0, fmt.Errorf("%w: CR followed by %q instead of LF", ErrMalformed, buf[pos])
	}
	h := Header{Version: 1, Command: CommandProxy, Transport: TransportStream}
	h.Source, h.Destination = ipAddrs(TransportStream,
		values.ips[0][:values.ipLength], values.ips[1][:values.ipLength], values.ports[0], values.ports[1])
	return h, pos + 1, nil
}

// v1Values collects the fields of a TCP4 or TCP6 line as they are parsed.
type v1Values struct {
	ips      [2][ipv6Length]byte
	ipLength int
	ports    [2]int
}

// set parses the text of field i, once the byte after it has arrived.
func (v *v1Values) set(fields *[4]v1Field, i int, text []byte) error {
	var ok bool
	kind := "a port number (0-65535, no leading zero)"
	switch {
	case i >= 2:
		v.ports[i-2], ok = parsePortText(text)
	case fields == &v1TCP4Fields:
		var ip [4]byte
		ip, ok = parseIPv4Text(text)
		v.ipLength = copy(v.ips[i][:], ip[:])
		kind = "an IPv4 address (four numbers 0-255, no leading zero)"
	default:
		v.ips[i], ok = parseIPv6Text(text)
		v.ipLength = len(v.ips[i])
		kind = "an IPv6 address (groups of 1-4 hex digits, at most one \"::\", 128 bits)"
	}
	if !ok {
		return fmt.Errorf("%w: %s %q is not %s", ErrMalformed, fields[i].name, text, kind)
	}
	return nil
}
