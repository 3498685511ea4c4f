package proxyproto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// sentinels are the errors Parse may wrap; every refusal must wrap exactly one of them.
var sentinels = []error{ErrNotProxy, ErrMalformed, ErrTooLong, ErrChecksum}

func tcp(ip string, port int) *net.TCPAddr { return &net.TCPAddr{IP: mustIP(ip), Port: port} }
func udp(ip string, port int) *net.UDPAddr { return &net.UDPAddr{IP: mustIP(ip), Port: port} }

func unixAddr(name, network string) *net.UnixAddr { return &net.UnixAddr{Name: name, Net: network} }

func mustIP(s string) net.IP {
	ip := net.ParseIP(s)
	if ip == nil {
		panic("bad IP in a test table: " + s)
	}
	if ip4 := ip.To4(); ip4 != nil && !strings.Contains(s, ":") {
		return ip4
	}
	return ip
}

// rawV2 builds a version 2 header byte by byte, for inputs the encoder would refuse to
// write: the signature, verCmd, fam, a length field that counts the parts, then the parts.
func rawV2(verCmd, fam byte, parts ...[]byte) []byte {
	body := bytes.Join(parts, nil)
	return rawV2Length(verCmd, fam, len(body), body)
}

// rawV2Length is rawV2 with a length field that says length whatever follows.
func rawV2Length(verCmd, fam byte, length int, parts ...[]byte) []byte {
	b := append([]byte(v2Signature), verCmd, fam)
	b = binary.BigEndian.AppendUint16(b, uint16(length))
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func rawTLV(t TLVType, value []byte) []byte {
	b := append([]byte{byte(t)}, 0, 0)
	binary.BigEndian.PutUint16(b[1:], uint16(len(value)))
	return append(b, value...)
}

// inetBlock is an AF_INET address block: 4+4 address bytes, then two big-endian ports.
func inetBlock(src, dst string, srcPort, dstPort uint16) []byte {
	b := append(append([]byte(nil), mustIP(src).To4()...), mustIP(dst).To4()...)
	b = binary.BigEndian.AppendUint16(b, srcPort)
	return binary.BigEndian.AppendUint16(b, dstPort)
}

func inet6Block(src, dst string, srcPort, dstPort uint16) []byte {
	b := append(append([]byte(nil), mustIP(src).To16()...), mustIP(dst).To16()...)
	b = binary.BigEndian.AppendUint16(b, srcPort)
	return binary.BigEndian.AppendUint16(b, dstPort)
}

// unixField is a 108-byte sun_path field holding raw.
func unixField(raw string) []byte {
	b := make([]byte, unixPathLength)
	copy(b, raw)
	return b
}

// sealCRC32C computes the checksum of header into the value of its CRC32C TLV, found at
// valueAt, with the bitwise reference rather than the code under test.
func sealCRC32C(header []byte, valueAt int) []byte {
	clear(header[valueAt : valueAt+4])
	binary.BigEndian.PutUint32(header[valueAt:], crc32cBitwise(header))
	return header
}

// crc32cBitwise is CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) one bit at a time,
// as RFC 4960 Appendix B defines it: the reference the table-driven checksum is held to.
func crc32cBitwise(data []byte) uint32 {
	crc := ^uint32(0)
	for _, b := range data {
		crc ^= uint32(b)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x82f63b78
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// headerDiff describes how got differs from want, or returns "". IPs compare as net.IP.Equal
// does (an IPv4 address equals its IPv4-mapped form); with anyCRC, CRC32C values are not
// compared, only where the TLV stands, since the checksum changes with any other byte.
func headerDiff(got, want Header, anyCRC bool) string {
	var diffs []string
	if got.Version != want.Version {
		diffs = append(diffs, fmt.Sprintf("version %d, want %d", got.Version, want.Version))
	}
	if got.Command != want.Command {
		diffs = append(diffs, fmt.Sprintf("command %d, want %d", got.Command, want.Command))
	}
	if got.Transport != want.Transport {
		diffs = append(diffs, fmt.Sprintf("transport %d, want %d", got.Transport, want.Transport))
	}
	if d := addrDiff(got.Source, want.Source); d != "" {
		diffs = append(diffs, "source "+d)
	}
	if d := addrDiff(got.Destination, want.Destination); d != "" {
		diffs = append(diffs, "destination "+d)
	}
	if len(got.TLVs) != len(want.TLVs) {
		diffs = append(diffs, fmt.Sprintf("%d TLVs, want %d", len(got.TLVs), len(want.TLVs)))
	} else {
		for i := range got.TLVs {
			g, w := got.TLVs[i], want.TLVs[i]
			sameValue := bytes.Equal(g.Value, w.Value) || (anyCRC && g.Type == TypeCRC32C)
			if g.Type != w.Type || !sameValue {
				diffs = append(diffs, fmt.Sprintf("TLV %d is %#02x %q, want %#02x %q", i, g.Type, g.Value, w.Type, w.Value))
			}
		}
	}
	return strings.Join(diffs, "; ")
}

func addrDiff(got, want net.Addr) string {
	same := false
	switch w := want.(type) {
	case nil:
		same = got == nil
	case *net.TCPAddr:
		g, ok := got.(*net.TCPAddr)
		same = ok && g.IP.Equal(w.IP) && g.Port == w.Port
	case *net.UDPAddr:
		g, ok := got.(*net.UDPAddr)
		same = ok && g.IP.Equal(w.IP) && g.Port == w.Port
	case *net.UnixAddr:
		g, ok := got.(*net.UnixAddr)
		same = ok && *g == *w
	}
	if same {
		return ""
	}
	return fmt.Sprintf("%T %v, want %T %v", got, got, want, want)
}

// acceptance is an input that Parse must accept as the header want, the whole input.
type acceptance[In string | []byte] struct {
	name  string
	input In
	want  Header
}

// checkAcceptances runs each case as a subtest, with payload after the header that must be
// left unread.
func checkAcceptances[In string | []byte](t *testing.T, cases []acceptance[In]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const payload = "\x16\x03\x01 GET / HTTP/1.1\r\n"
			h, n, err := Parse(append([]byte(tc.input), payload...))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if n != len(tc.input) {
				t.Errorf("n = %d, want the header's %d bytes", n, len(tc.input))
			}
			if d := headerDiff(h, tc.want, false); d != "" {
				t.Error(d)
			}
			if len(tc.want.TLVs) == 0 && h.TLVs != nil {
				t.Errorf("TLVs %v, want nil", h.TLVs)
			}
		})
	}
}

// refusal is an input that Parse must refuse with an error wrapping want.
type refusal[In string | []byte] struct {
	name  string
	input In
	want  error
}

// checkRefusals runs each case as a subtest. With decidedAtLastByte, the input must be no
// longer than the bytes that show its fault: one byte fewer must still be ErrIncomplete.
func checkRefusals[In string | []byte](t *testing.T, cases []refusal[In], decidedAtLastByte bool) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			input := []byte(tc.input)
			h, n, err := Parse(input)
			checkRefusal(t, h, n, err, tc.want)
			if !decidedAtLastByte {
				return
			}
			if _, _, err := Parse(input[:len(input)-1]); !errors.Is(err, ErrIncomplete) {
				t.Errorf("one byte shorter: err = %v, want ErrIncomplete", err)
			}
		})
	}
}

// checkRefusal fails t unless err is a refusal wrapping want, with a zero Header and n == 0.
func checkRefusal(t *testing.T, h Header, n int, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want one wrapping %v", err, want)
	}
	if !strings.HasPrefix(err.Error(), "gnet: ") {
		t.Errorf("error %q does not start with \"gnet: \"", err)
	}
	for _, s := range sentinels {
		if !errors.Is(s, want) && errors.Is(err, s) {
			t.Errorf("error %q also wraps %v", err, s)
		}
	}
	if n != 0 || headerDiff(h, Header{}, false) != "" {
		t.Errorf("refusal returned n = %d and header %+v, want 0 and a zero Header", n, h)
	}
}

// checkIncrementalMatchesWhole feeds input to p one byte more at a time, as an event loop
// whose reads return single bytes would, and fails t unless every prefix shorter than the
// one where Parse decides is ErrIncomplete with nothing consumed, and the decision is the
// one Parse makes on the whole input: the same header, length and error text.
func checkIncrementalMatchesWhole(t *testing.T, p Parser, input []byte) {
	t.Helper()
	wholeHeader, wholeN, wholeErr := p.Parse(input)
	for k := 0; k <= len(input); k++ {
		h, n, err := p.Parse(input[:k])
		if errors.Is(err, ErrIncomplete) {
			if err.Error() != ErrIncomplete.Error() || n != 0 || headerDiff(h, Header{}, false) != "" {
				t.Fatalf("prefix of %d bytes: n = %d, err = %v, header %+v; want 0, bare ErrIncomplete, zero Header", k, n, err, h)
			}
			continue
		}
		if n != wholeN || !sameError(err, wholeErr) || headerDiff(h, wholeHeader, false) != "" {
			t.Fatalf("decided at %d of %d bytes: n = %d, err = %v, header %+v;\nwhole input: n = %d, err = %v, header %+v",
				k, len(input), n, err, h, wholeN, wholeErr, wholeHeader)
		}
		return
	}
	if !errors.Is(wholeErr, ErrIncomplete) {
		t.Fatalf("no prefix decided, yet the whole input gave %v", wholeErr)
	}
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return (a == nil) == (b == nil)
	}
	return a.Error() == b.Error()
}
