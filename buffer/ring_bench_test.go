package buffer

import "testing"

// BenchmarkRingWritePeekDiscard measures the inbound path of one read event: the bytes land
// in the ring, a codec peeks at a frame and consumes it.
func BenchmarkRingWritePeekDiscard(b *testing.B) {
	for _, size := range []int{64, 4 << 10} {
		b.Run(byteCount(size), func(b *testing.B) {
			r := NewRing(64 << 10)
			msg := pattern(size, 1)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Write(msg); err != nil {
					b.Fatal(err)
				}
				head, tail := r.Peek(size)
				r.Discard(len(head) + len(tail))
			}
		})
	}
}

// BenchmarkRingWrappedBytes measures Bytes on wrapped contents, the one path that copies.
func BenchmarkRingWrappedBytes(b *testing.B) {
	r := NewRing(4 << 10)
	msg := pattern(3<<10, 1)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		// Writing after consuming part leaves the next contents wrapped.
		if _, err := r.Write(msg); err != nil {
			b.Fatal(err)
		}
		r.Discard(2 << 10)
		if _, err := r.Write(msg[:2<<10]); err != nil {
			b.Fatal(err)
		}
		r.Bytes()
		r.Reset()
	}
}
