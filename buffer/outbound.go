package buffer

const (
	// OutboundChunkSize is the capacity of the chunk a write smaller than it starts when the
	// last chunk is full. Larger writes get chunks rounded up to a power of two, at most
	// maxOutboundChunkSize, so a big reply takes few iovecs.
	OutboundChunkSize = 16 << 10

	maxOutboundChunkSize = 1 << 20
)

// Outbound holds a connection's pending output as a queue of chunks from the byte pool, in
// the shape writev wants: Peek lists them, Discard drops what the kernel took. Small writes
// are copied into the free space of the last chunk, so a burst of small replies becomes a
// few large iovecs.
//
// An Outbound is not safe for concurrent use: one goroutine at a time, normally the
// connection's event loop, may call its methods. The zero value is empty and ready to use.
type Outbound struct {
	// chunks[head:] are the pending chunks, oldest first. The slice is used as a deque and
	// keeps its backing array, so the steady state allocates nothing.
	chunks []outboundChunk
	head   int
	size   int
}

type outboundChunk struct {
	// buf is a whole pooled array, len(buf) == cap(buf); buf[start:end] is pending.
	buf        []byte
	start, end int
}

// Write copies all of p to the end of the pending output and returns len(p) and nil; it
// never fails. It does not move pending bytes, so slices returned by Peek stay valid.
func (b *Outbound) Write(p []byte) (int, error) {
	// hot path: no allocation once the chunk list has reached its working length
	written := len(p)
	if b.head < len(b.chunks) {
		last := &b.chunks[len(b.chunks)-1]
		n := copy(last.buf[last.end:], p)
		last.end += n
		p = p[n:]
	}
	for len(p) > 0 {
		chunk := takeWholeArray(outboundChunkSizeFor(len(p)))
		n := copy(chunk, p)
		b.pushChunk(outboundChunk{buf: chunk, end: n})
		p = p[n:]
	}
	b.size += written
	return written, nil
}

// Len returns how many bytes are pending.
func (b *Outbound) Len() int { return b.size }

// IsEmpty reports whether no byte is pending.
func (b *Outbound) IsEmpty() bool { return b.size == 0 }

// Peek appends the pending bytes to iovs as one slice per chunk, oldest first, without
// copying, and returns the extended iovs. It stops when iovs reaches cap(iovs) entries, so
// it never allocates, and when maxBytes bytes are appended, unless maxBytes <= 0. The slices
// stay valid until the next Discard or Reset.
func (b *Outbound) Peek(iovs [][]byte, maxBytes int) [][]byte {
	// hot path: no allocation
	budget := maxBytes
	for i := b.head; i < len(b.chunks) && len(iovs) < cap(iovs); i++ {
		c := &b.chunks[i]
		pending := c.buf[c.start:c.end:c.end]
		if maxBytes > 0 {
			if budget == 0 {
				break
			}
			pending = pending[:min(len(pending), budget)]
			budget -= len(pending)
		}
		iovs = append(iovs, pending)
	}
	return iovs
}

// Discard drops the oldest n pending bytes (all of them if fewer are pending), typically
// what a partial writev took, returns how many it dropped, and gives emptied chunks back to
// the pool.
func (b *Outbound) Discard(n int) int {
	// hot path: no allocation
	if n <= 0 {
		return 0
	}
	n = min(n, b.size)
	for left := n; left > 0; {
		c := &b.chunks[b.head]
		pending := c.end - c.start
		if left < pending {
			c.start += left
			break
		}
		left -= pending
		Put(c.buf)
		*c = outboundChunk{}
		b.head++
	}
	b.size -= n
	if b.head == len(b.chunks) {
		b.chunks = b.chunks[:0]
		b.head = 0
	}
	return n
}

// Reset drops every pending byte and gives every chunk back to the pool.
func (b *Outbound) Reset() {
	for i := b.head; i < len(b.chunks); i++ {
		Put(b.chunks[i].buf)
	}
	clear(b.chunks)
	b.chunks = b.chunks[:0]
	b.head = 0
	b.size = 0
}

// pushChunk appends c, first sliding the pending chunks to the front when the list is full
// but its front holds chunks already sent, so that the list's array is reused.
func (b *Outbound) pushChunk(c outboundChunk) {
	if len(b.chunks) == cap(b.chunks) && b.head > 0 {
		n := copy(b.chunks, b.chunks[b.head:])
		clear(b.chunks[n:])
		b.chunks = b.chunks[:n]
		b.head = 0
	}
	b.chunks = append(b.chunks, c)
}

// outboundChunkSizeFor returns the size of chunk to start for pending bytes still to copy.
func outboundChunkSizeFor(pending int) int {
	if pending <= OutboundChunkSize {
		return OutboundChunkSize
	}
	return min(roundUpToPowerOfTwo(pending), maxOutboundChunkSize)
}
