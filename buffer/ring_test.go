package buffer

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestZeroRingIsEmptyAndHoldsNoMemory(t *testing.T) {
	var r Ring
	head, tail := r.Peek(-1)
	n, err := r.Read(make([]byte, 8))
	switch {
	case r.Len() != 0 || !r.IsEmpty() || r.Cap() != 0:
		t.Fatalf("Len %d IsEmpty %v Cap %d, want 0 true 0", r.Len(), r.IsEmpty(), r.Cap())
	case head != nil || tail != nil || r.Bytes() != nil:
		t.Fatal("Peek or Bytes returned bytes from an empty ring")
	case n != 0 || !errors.Is(err, io.EOF):
		t.Fatalf("Read = %d, %v, want 0, io.EOF", n, err)
	case r.Discard(10) != 0:
		t.Fatal("Discard consumed bytes from an empty ring")
	}
	if n, err := r.Read(nil); n != 0 || err != nil {
		t.Fatalf("Read(nil) = %d, %v, want 0, nil", n, err)
	}
}

func TestNewRingPreallocatesAPowerOfTwo(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		wantCap int
	}{
		{name: "zero allocates lazily", size: 0, wantCap: 0},
		{name: "negative allocates lazily", size: -3, wantCap: 0},
		{name: "tiny rounds up to the smallest pooled size", size: 1, wantCap: MinPooledSize},
		{name: "between powers rounds up", size: 1000, wantCap: 1024},
		{name: "power of two is kept", size: 4096, wantCap: 4096},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(tt.size)
			if r.Cap() != tt.wantCap || !r.IsEmpty() {
				t.Fatalf("Cap %d IsEmpty %v, want %d true", r.Cap(), r.IsEmpty(), tt.wantCap)
			}
		})
	}
}

func TestRingReadReturnsWrittenBytesInOrder(t *testing.T) {
	r := NewRing(64)
	first, second := pattern(40, 1), pattern(50, 2)
	mustWrite(t, r, first)
	mustWrite(t, r, second)
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if want := concat(first, second); !bytes.Equal(got, want) {
		t.Fatalf("read %x, want %x", got, want)
	}
	if !r.IsEmpty() {
		t.Fatalf("Len %d after reading everything, want 0", r.Len())
	}
}

func TestRingGrowsAcrossWrapKeepingOrder(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(48, 1))
	r.Discard(40)
	wrapping := pattern(40, 2)
	mustWrite(t, r, wrapping)
	if _, tail := r.Peek(-1); len(tail) == 0 {
		t.Fatal("setup: the buffered bytes do not wrap")
	}
	growing := pattern(100, 3)
	mustWrite(t, r, growing)

	want := concat(pattern(48, 1)[40:], wrapping, growing)
	if got := ringContents(r); !bytes.Equal(got, want) {
		t.Fatalf("contents after growth %x, want %x", got, want)
	}
	if r.Cap() != 256 {
		t.Fatalf("Cap %d, want 256 (148 bytes rounded up to a power of two)", r.Cap())
	}
	if _, tail := r.Peek(-1); tail != nil {
		t.Fatal("growth left the buffered bytes wrapped")
	}
}

func TestRingPeekReturnsTwoSlicesWhenWrapped(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(60, 1))
	r.Discard(50)
	mustWrite(t, r, pattern(20, 2))
	all := concat(pattern(60, 1)[50:], pattern(20, 2))

	tests := []struct {
		name               string
		n                  int
		wantHead, wantTail []byte
	}{
		{name: "all of them", n: -1, wantHead: all[:14], wantTail: all[14:]},
		{name: "more than buffered", n: 1000, wantHead: all[:14], wantTail: all[14:]},
		{name: "up to the wrap", n: 14, wantHead: all[:14]},
		{name: "before the wrap", n: 5, wantHead: all[:5]},
		{name: "just past the wrap", n: 15, wantHead: all[:14], wantTail: all[14:15]},
		{name: "none", n: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, tail := r.Peek(tt.n)
			if !bytes.Equal(head, tt.wantHead) || !bytes.Equal(tail, tt.wantTail) {
				t.Fatalf("Peek(%d) = %x, %x, want %x, %x", tt.n, head, tail, tt.wantHead, tt.wantTail)
			}
			if len(tt.wantTail) == 0 && tail != nil {
				t.Fatalf("Peek(%d) returned a non-nil empty tail", tt.n)
			}
		})
	}
	if r.Len() != len(all) {
		t.Fatalf("Len %d after peeking, want %d: Peek consumed bytes", r.Len(), len(all))
	}
}

func TestRingDiscardConsumesAtMostWhatIsBuffered(t *testing.T) {
	tests := []struct {
		name        string
		discard     int
		wantDropped int
		wantLeft    []byte
	}{
		{name: "negative drops nothing", discard: -1, wantDropped: 0, wantLeft: pattern(30, 1)},
		{name: "zero drops nothing", discard: 0, wantDropped: 0, wantLeft: pattern(30, 1)},
		{name: "part", discard: 12, wantDropped: 12, wantLeft: pattern(30, 1)[12:]},
		{name: "exactly all", discard: 30, wantDropped: 30},
		{name: "more than buffered", discard: 1 << 20, wantDropped: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRing(64)
			mustWrite(t, r, pattern(30, 1))
			if got := r.Discard(tt.discard); got != tt.wantDropped {
				t.Fatalf("Discard(%d) = %d, want %d", tt.discard, got, tt.wantDropped)
			}
			if got := ringContents(r); !bytes.Equal(got, tt.wantLeft) {
				t.Fatalf("left %x, want %x", got, tt.wantLeft)
			}
			if r.Cap() != 64 {
				t.Fatalf("Cap %d after Discard, want 64: Discard must not free memory", r.Cap())
			}
		})
	}
}

func TestRingThatEmptiesWritesFromTheStartAgain(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(50, 1))
	r.Discard(100)
	mustWrite(t, r, pattern(64, 2))
	head, tail := r.Peek(-1)
	if len(head) != 64 || tail != nil || r.Cap() != 64 {
		t.Fatalf("Peek = %d+%d bytes with Cap %d, want 64+0 with Cap 64", len(head), len(tail), r.Cap())
	}
}

func TestRingSlicesPeekedBeforeConsumingStayReadable(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(60, 1))
	r.Discard(50)
	mustWrite(t, r, pattern(20, 2))
	head, tail := r.Peek(-1)
	want := concat(head, tail)

	r.Discard(3)
	r.Bytes() // unwraps into another array
	r.Reset()
	if got := concat(head, tail); !bytes.Equal(got, want) {
		t.Fatalf("peeked bytes changed to %x, want %x", got, want)
	}
}

func TestRingBytesUnwrapsOnceThenReturnsWithoutCopy(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(60, 1))
	r.Discard(50)
	mustWrite(t, r, pattern(20, 2))
	want := ringContents(r)

	first := r.Bytes()
	second := r.Bytes()
	switch {
	case !bytes.Equal(first, want):
		t.Fatalf("Bytes = %x, want %x", first, want)
	case &first[0] != &second[0] || len(second) != len(want):
		t.Fatal("second Bytes call copied again")
	case r.Cap() != 64 || r.Len() != len(want):
		t.Fatalf("Cap %d Len %d after Bytes, want 64 %d", r.Cap(), r.Len(), len(want))
	}
	if _, tail := r.Peek(-1); tail != nil {
		t.Fatal("bytes still wrap after Bytes")
	}
}

func TestRingReleaseGivesMemoryBackOnlyWhenEmpty(t *testing.T) {
	r := NewRing(128)
	mustWrite(t, r, pattern(10, 1))
	r.Release()
	if r.Cap() != 128 || !bytes.Equal(ringContents(r), pattern(10, 1)) {
		t.Fatalf("Release of a non-empty ring changed it: Cap %d contents %x", r.Cap(), ringContents(r))
	}
	r.Discard(10)
	r.Release()
	if r.Cap() != 0 || !r.IsEmpty() {
		t.Fatalf("Cap %d after Release of an empty ring, want 0", r.Cap())
	}
	mustWrite(t, r, pattern(5, 2))
	if !bytes.Equal(ringContents(r), pattern(5, 2)) {
		t.Fatal("a released ring does not take new bytes")
	}
}

func TestRingResetEmptiesAndKeepsMemory(t *testing.T) {
	r := NewRing(256)
	mustWrite(t, r, pattern(200, 1))
	r.Reset()
	if !r.IsEmpty() || r.Cap() != 256 {
		t.Fatalf("Len %d Cap %d after Reset, want 0 256", r.Len(), r.Cap())
	}
}

func TestRingWriteFailsPastMaxRingSize(t *testing.T) {
	withMaxRingSize(t, 4096)
	tests := []struct {
		name    string
		preload int
		write   int
		wantErr error
	}{
		{name: "fills up to the limit", preload: 4000, write: 96, wantErr: nil},
		{name: "one byte past the limit", preload: 4096, write: 1, wantErr: ErrTooLarge},
		{name: "one write larger than the limit", preload: 0, write: 4097, wantErr: ErrTooLarge},
		{name: "growth that would pass the limit", preload: 3000, write: 1500, wantErr: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Ring
			mustWrite(t, &r, pattern(tt.preload, 1))
			n, err := r.Write(pattern(tt.write, 2))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Write error %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if n != 0 || !bytes.Equal(ringContents(&r), pattern(tt.preload, 1)) {
				t.Fatalf("failed Write reported %d bytes or changed the contents", n)
			}
			if r.Cap() > 4096 {
				t.Fatalf("Cap %d passed MaxRingSize", r.Cap())
			}
		})
	}
}

func TestNewRingCapsPreallocationAtMaxRingSize(t *testing.T) {
	withMaxRingSize(t, 4096)
	if r := NewRing(1 << 20); r.Cap() != 4096 {
		t.Fatalf("Cap %d, want 4096", r.Cap())
	}
}

func TestRingHotPathsDoNotAllocate(t *testing.T) {
	r := NewRing(8192)
	msg := pattern(100, 1)
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := r.Write(msg); err != nil {
			t.Fatal(err)
		}
		head, tail := r.Peek(60)
		r.Discard(len(head) + len(tail))
		r.Discard(40)
	})
	if allocs != 0 {
		t.Fatalf("Write+Peek+Discard allocated %v times per run, want 0", allocs)
	}
}

func mustWrite(t *testing.T, r *Ring, p []byte) {
	t.Helper()
	if n, err := r.Write(p); n != len(p) || err != nil {
		t.Fatalf("Write(%d bytes) = %d, %v", len(p), n, err)
	}
}

// withMaxRingSize lowers MaxRingSize for one test; tests that call it must not run in
// parallel with other ring tests.
func withMaxRingSize(t *testing.T, size int) {
	saved := MaxRingSize
	MaxRingSize = size
	t.Cleanup(func() { MaxRingSize = saved })
}

func TestRingWriteOfItsOwnPeekedBytesSurvivesGrowth(t *testing.T) {
	r := NewRing(64)
	mustWrite(t, r, pattern(60, 1))
	head, _ := r.Peek(-1)
	mustWrite(t, r, head) // needs 120 bytes: grows while reading from the old array
	if want := concat(pattern(60, 1), pattern(60, 1)); !bytes.Equal(ringContents(r), want) {
		t.Fatalf("contents %x, want %x", ringContents(r), want)
	}
}
