package buffer

import "testing"

// BenchmarkOutboundWritePeekDiscard measures the outbound path of one reply: the bytes are
// queued, listed for writev, and dropped once the kernel took them all.
func BenchmarkOutboundWritePeekDiscard(b *testing.B) {
	for _, size := range []int{64, 16 << 10} {
		b.Run(byteCount(size), func(b *testing.B) {
			var out Outbound
			msg := pattern(size, 1)
			iovs := make([][]byte, 0, 64)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := out.Write(msg); err != nil {
					b.Fatal(err)
				}
				iovs = out.Peek(iovs[:0], 0)
				out.Discard(len(msg))
			}
		})
	}
}

// BenchmarkOutboundPipelinedWrites measures a burst of 16 small replies coalesced and then
// written with a partial writev, the pipelined case.
func BenchmarkOutboundPipelinedWrites(b *testing.B) {
	var out Outbound
	msg := pattern(64, 1)
	iovs := make([][]byte, 0, 64)
	b.SetBytes(16 * 64)
	b.ReportAllocs()
	for b.Loop() {
		for range 16 {
			if _, err := out.Write(msg); err != nil {
				b.Fatal(err)
			}
		}
		iovs = out.Peek(iovs[:0], 0)
		out.Discard(1000)
		out.Discard(24)
	}
}
