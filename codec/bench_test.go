package codec_test

import (
	"fmt"
	"testing"

	"github.com/gnetio/gnet/api/embedded"
	"github.com/gnetio/gnet/codec"
)

// benchmarkCodec is one codec as the benchmarks run it.
type benchmarkCodec struct {
	name  string
	codec frameCodec
	// passthrough marks the codec that returns a whole read as one frame: its batch is one
	// read of one frame's size rather than many frames.
	passthrough bool
}

func benchmarkCodecs(b *testing.B, frameSize int) []benchmarkCodec {
	return []benchmarkCodec{
		{name: "BuiltIn", codec: codec.NewBuiltInFrameCodec(), passthrough: true},
		{name: "Line", codec: codec.NewLineBasedFrameCodec()},
		{name: "Delimiter", codec: codec.NewDelimiterBasedFrameCodec(';')},
		{name: "FixedLength", codec: mustFixedLengthCodec(b, frameSize)},
		{name: "LengthField", codec: mustLengthFieldCodec(b,
			codec.EncoderConfig{LengthFieldLength: 4},
			codec.DecoderConfig{LengthFieldLength: 4, InitialBytesToStrip: 4})},
	}
}

// benchmarkFrameSizes are the payload sizes measured: a small request and a page.
var benchmarkFrameSizes = []int{64, 4 << 10}

// batchBytes is about how much one batch of frames holds, like one read from a busy socket.
const batchBytes = 64 << 10

func sizeName(n int) string {
	if n >= 1<<10 {
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// BenchmarkDecode measures decoding one frame out of a batch of many buffered frames, the
// copy of the batch into the connection's inbound buffer included (a read costs the engine the
// same copy); the bytes per operation are one frame as it travels (payload and framing).
func BenchmarkDecode(b *testing.B) {
	for _, size := range benchmarkFrameSizes {
		payload := patternBytes(size)
		for _, bc := range benchmarkCodecs(b, size) {
			b.Run(bc.name+"/"+sizeName(size), func(b *testing.B) {
				encoded, err := bc.codec.Encode(nil, payload)
				if err != nil {
					b.Fatal(err)
				}
				frameCount := max(1, batchBytes/len(encoded))
				if bc.passthrough {
					frameCount = 1
				}
				var batch []byte
				for range frameCount {
					batch = append(batch, encoded...)
				}
				c := embedded.New(nil)
				b.SetBytes(int64(len(encoded)))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if c.BufferLength() == 0 {
						c.Buffer(batch) // one read of a batch, copied as a read copies
					}
					frame, err := bc.codec.Decode(c)
					if err != nil || len(frame) != size {
						b.Fatalf("decoded %d bytes and error %v, want %d bytes", len(frame), err, size)
					}
				}
			})
		}
	}
}

// BenchmarkAppendEncode measures encoding one frame into a reused buffer, as the engine does
// with its per-loop buffer; the bytes per operation are the payload.
func BenchmarkAppendEncode(b *testing.B) {
	for _, size := range benchmarkFrameSizes {
		payload := patternBytes(size)
		for _, bc := range benchmarkCodecs(b, size) {
			b.Run(bc.name+"/"+sizeName(size), func(b *testing.B) {
				dst := make([]byte, 0, size+16)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					var err error
					dst, err = bc.codec.AppendEncode(dst[:0], nil, payload)
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkEncode measures Encode, which must return a new slice whenever it adds bytes; set
// beside BenchmarkAppendEncode it shows what the AppendEncoder interface saves.
func BenchmarkEncode(b *testing.B) {
	for _, size := range benchmarkFrameSizes {
		payload := patternBytes(size)
		for _, bc := range benchmarkCodecs(b, size) {
			b.Run(bc.name+"/"+sizeName(size), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := bc.codec.Encode(nil, payload); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
