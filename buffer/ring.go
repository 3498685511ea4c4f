package buffer

import "io"

// MaxRingSize is the largest capacity a Ring may grow to: a Write that would need more
// returns ErrTooLarge. It is read without synchronization: change it, if at all, before the
// first Ring is used, and keep it a power of two no smaller than MinPooledSize, because ring
// capacities are powers of two.
var MaxRingSize = 1 << 30

// Ring is an elastic ring buffer of bytes: a connection's inbound bytes that arrived but were
// not consumed yet. It grows by doubling (capacities are powers of two, taken from the byte
// pool) and never shrinks on its own: Read and Discard leave the memory in place, because
// slices handed out by Peek must stay readable until the code holding them is done; only
// Release gives memory back.
//
// Slices returned by Peek and Bytes stay valid until the next Write, ReadFrom or Release;
// consuming bytes (Read, Discard, Reset) or calling Bytes again does not change their
// contents.
//
// A Ring is not safe for concurrent use: one goroutine at a time, normally the connection's
// event loop, may call its methods. The zero value is an empty ring that holds no memory.
type Ring struct {
	// buf is the backing array, len(buf) == cap(buf); nil until the first byte is written.
	buf []byte
	// read indexes the oldest buffered byte; the buffered bytes wrap past the end of buf
	// when read+size > len(buf).
	read int
	size int
	// retired is the array Bytes or growth moved the buffered bytes out of. Slices Peek
	// returned earlier may still point into it, so it goes back to the pool only at the
	// next Write, ReadFrom or Release, which end those slices' validity anyway.
	retired []byte
}

// NewRing returns an empty ring holding at least size bytes of memory (size rounded up to a
// power of two), or none at all when size <= 0; sizes above MaxRingSize are capped at it.
// Preallocating spares the first writes the copies growth costs.
func NewRing(size int) *Ring {
	r := new(Ring)
	if size > 0 {
		r.buf = takeWholeArray(roundUpToPowerOfTwo(min(size, MaxRingSize)))
	}
	return r
}

// Len returns how many bytes are buffered.
func (r *Ring) Len() int { return r.size }

// Cap returns how many bytes of backing memory the ring holds for buffered bytes, not
// counting an array it moved them away from and has not given back yet.
func (r *Ring) Cap() int { return len(r.buf) }

// IsEmpty reports whether no byte is buffered.
func (r *Ring) IsEmpty() bool { return r.size == 0 }

// Write appends all of p, growing the ring when p does not fit in its free space. It returns
// len(p) and nil, or 0 and ErrTooLarge, without writing anything, when growing would take
// the capacity past MaxRingSize. Slices returned by Peek and Bytes before the Write are no
// longer valid: growing moves the buffered bytes, and new bytes may overwrite consumed ones.
// p itself may be such a slice.
func (r *Ring) Write(p []byte) (int, error) {
	// hot path: no allocation unless the ring has to grow
	r.giveBackRetired()
	if len(p) > len(r.buf)-r.size {
		if err := r.grow(len(p)); err != nil {
			return 0, err
		}
	}
	n := copy(r.buf[r.writeIndex():], p)
	// The free space is len(p) or more, so what did not fit before the end of the array
	// fits from its start, before the oldest buffered byte.
	copy(r.buf, p[n:])
	r.size += len(p)
	return len(p), nil
}

// Read copies up to len(p) buffered bytes into p and consumes them. It returns io.EOF when
// the ring is empty and p is not.
func (r *Ring) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if r.size == 0 {
		return 0, io.EOF
	}
	head, tail := r.Peek(len(p))
	n := copy(p, head)
	n += copy(p[n:], tail)
	r.Discard(n)
	return n, nil
}

// Peek returns the next n buffered bytes (all of them when n < 0 or fewer are buffered)
// without consuming or copying them. tail is non-empty only when those bytes wrap around the
// end of the backing array; head holds the ones before the wrap. Both are nil when nothing
// is returned. The slices stay valid until the next Write, ReadFrom or Release.
func (r *Ring) Peek(n int) (head, tail []byte) {
	// hot path: no allocation
	if n < 0 || n > r.size {
		n = r.size
	}
	if n == 0 {
		return nil, nil
	}
	end := r.read + n
	if end <= len(r.buf) {
		return r.buf[r.read:end:end], nil
	}
	end -= len(r.buf)
	return r.buf[r.read:], r.buf[:end:end]
}

// Discard consumes up to n buffered bytes and returns how many it consumed. It keeps the
// memory, so slices Peek returned stay readable.
func (r *Ring) Discard(n int) int {
	// hot path: no allocation
	if n <= 0 {
		return 0
	}
	if n >= r.size {
		n = r.size
		r.Reset()
		return n
	}
	r.read += n
	if r.read >= len(r.buf) {
		r.read -= len(r.buf)
	}
	r.size -= n
	return n
}

// Reset consumes every buffered byte and keeps the memory. The next byte written goes to
// the start of the backing array, so short messages do not wrap needlessly.
func (r *Ring) Reset() {
	r.read = 0
	r.size = 0
}

// Release gives the backing memory back to the byte pool when the ring is empty, so that an
// idle connection holds none; a ring that still buffers bytes keeps its array. Either way an
// array the ring moved its bytes away from is given back. Slices returned by Peek and Bytes
// must not be used after Release.
func (r *Ring) Release() {
	r.giveBackRetired()
	if r.size > 0 {
		return
	}
	Put(r.buf)
	r.buf = nil
	r.read = 0
}

// Bytes returns every buffered byte as one contiguous slice without consuming them, or nil
// when the ring is empty. When the bytes wrap around the end of the backing array it first
// copies them, once, to the start of another array of the same size from the pool, so that
// later calls return them without a copy until new bytes wrap again. The slice stays valid
// until the next Write, ReadFrom or Release.
func (r *Ring) Bytes() []byte {
	if r.size == 0 {
		return nil
	}
	end := r.read + r.size
	if end <= len(r.buf) {
		return r.buf[r.read:end:end]
	}
	// Unwrapping in place would overwrite the free space between the newest and the
	// oldest byte, where bytes consumed during the current callback may still be read
	// through slices Peek returned; a second array leaves them intact. r.retired is nil
	// here: bytes wrap only in a Write or ReadFrom that gave the retired array back first,
	// and a growth, which retires one, leaves them unwrapped.
	unwrapped := takeWholeArray(len(r.buf))
	r.copyTo(unwrapped)
	r.retired = r.buf
	r.buf = unwrapped
	r.read = 0
	return unwrapped[:r.size:r.size]
}

// grow replaces the backing array with one that has room for extra more bytes, at least
// twice as large as the current one, and moves the buffered bytes to its start.
func (r *Ring) grow(extra int) error {
	if extra > MaxRingSize-r.size {
		return ErrTooLarge
	}
	need := r.size + extra
	// No cap at MaxRingSize is needed: it is a power of two above len(r.buf) and need.
	capacity := roundUpToPowerOfTwo(max(need, 2*len(r.buf), MinPooledSize))
	grown := takeWholeArray(capacity)
	r.copyTo(grown)
	// The old array goes back to the pool at the next Write, ReadFrom or Release, not now:
	// the bytes being written may be a slice Peek returned from it. An array retired
	// earlier in the same ReadFrom has no such reader left.
	r.giveBackRetired()
	r.retired = r.buf
	r.buf = grown
	r.read = 0
	return nil
}

// takeWholeArray gets a pooled array of at least size bytes and returns all of it.
func takeWholeArray(size int) []byte {
	b := Get(size)
	return b[:cap(b)]
}

// copyTo copies the buffered bytes, oldest first, to the start of dst.
func (r *Ring) copyTo(dst []byte) {
	head, tail := r.Peek(-1)
	n := copy(dst, head)
	copy(dst[n:], tail)
}

// writeIndex is where the next byte goes.
func (r *Ring) writeIndex() int {
	w := r.read + r.size
	if w >= len(r.buf) {
		w -= len(r.buf)
	}
	return w
}

func (r *Ring) giveBackRetired() {
	if r.retired != nil {
		Put(r.retired)
		r.retired = nil
	}
}
