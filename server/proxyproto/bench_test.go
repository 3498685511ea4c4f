package proxyproto

import (
	"testing"
)

// The benchmarks parse one whole header per iteration, as the engine does once per
// connection; -benchmem shows what each costs in allocations.

func benchmarkParse(b *testing.B, header []byte) {
	b.Helper()
	if _, n, err := Parse(header); err != nil || n != len(header) {
		b.Fatalf("n = %d, err = %v", n, err)
	}
	b.SetBytes(int64(len(header)))
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = Parse(header) // checked once above; the same bytes give the same result
	}
}

func BenchmarkParseV2IPv4(b *testing.B) {
	benchmarkParse(b, rawV2(v2Proxy, 0x11, inetBlock("192.0.2.1", "198.51.100.1", 50000, 443)))
}

func BenchmarkParseV2IPv6(b *testing.B) {
	benchmarkParse(b, rawV2(v2Proxy, 0x21, inet6Block("2001:db8::1", "2001:db8::2", 50000, 443)))
}

func BenchmarkParseV2IPv4WithTLVsAndCRC32C(b *testing.B) {
	benchmarkParse(b, crcSealedTCP4())
}

func BenchmarkParseV2Local(b *testing.B) {
	benchmarkParse(b, rawV2(v2Local, 0x00))
}

func BenchmarkParseV1TCP4(b *testing.B) {
	benchmarkParse(b, []byte("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"))
}

func BenchmarkParseV1TCP6(b *testing.B) {
	benchmarkParse(b, []byte("PROXY TCP6 2001:db8::1 2001:db8:85a3::8a2e:370:7334 56324 443\r\n"))
}

// BenchmarkParseIncomplete is the cost of a call that finds only part of a header, which an
// event loop makes once per read until the header is whole.
func BenchmarkParseIncomplete(b *testing.B) {
	partial := []byte("PROXY TCP6 2001:db8::1 2001:db8:85a3::8a2e:370:7334 56324 44")
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = Parse(partial) // always ErrIncomplete, as TestParseOfAnIncompleteHeaderAllocatesNothing checks
	}
}

func BenchmarkAppendV2IPv4(b *testing.B) {
	h := proxyV2(TransportStream, tcp("192.0.2.1", 50000), tcp("198.51.100.1", 443))
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AppendV2(buf[:0], h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendV1TCP4(b *testing.B) {
	h := tcpV1("192.168.0.1", 56324, "192.168.0.11", 443)
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AppendV1(buf[:0], h); err != nil {
			b.Fatal(err)
		}
	}
}
