package resp

import (
	"strings"
	"testing"
)

// redis-benchmark -P 16 sends 16 commands per write; these are the shapes of its SET and GET.
var (
	pipelinedSets = []byte(strings.Repeat("*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nxxx\r\n", 16))
	pipelinedGets = []byte(strings.Repeat("*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n", 16))
	inlineSets    = []byte(strings.Repeat("SET key:__rand_int__ xxx\r\n", 16))
)

func benchmarkParse(b *testing.B, input []byte) {
	p := NewParser(Limits{})
	argv := make([][]byte, 0, 8)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		n, err := p.Parse(input)
		if err != nil || n != len(input) {
			b.Fatalf("Parse = %d, %v; want %d, nil", n, err, len(input))
		}
		for i := range p.Len() {
			argv = p.Command(input, 0, i, argv[:0])
		}
	}
}

func BenchmarkParse16PipelinedSets(b *testing.B) { benchmarkParse(b, pipelinedSets) }

func BenchmarkParse16PipelinedGets(b *testing.B) { benchmarkParse(b, pipelinedGets) }

func BenchmarkParse16InlineSets(b *testing.B) { benchmarkParse(b, inlineSets) }

// BenchmarkParseResumingALargeValue delivers a 1 MiB SET in 64 KiB reads, as the engine does,
// calling Parse only once Need bytes are there, as the server's codec does: the value's bytes
// are never scanned, and Parse runs twice per request however long the value.
func BenchmarkParseResumingALargeValue(b *testing.B) {
	value := strings.Repeat("v", 1<<20)
	input := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n" + value + "\r\n")
	p := NewParser(Limits{})
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		for end := 64 << 10; ; end += 64 << 10 {
			end = min(end, len(input))
			if len(input[:end]) < p.Need() {
				continue
			}
			n, err := p.Parse(input[:end])
			if err != nil {
				b.Fatal(err)
			}
			if n > 0 {
				break
			}
		}
	}
}

func BenchmarkAppendReplies(b *testing.B) {
	value := []byte("xxx")
	dst := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		dst = dst[:0]
		for range 16 {
			dst = AppendSimple(dst, "OK")
			dst = AppendBulk(dst, value)
			dst = AppendInt(dst, 12345)
		}
	}
}
