package buffer

import (
	"errors"
	"io"
)

// maxEmptyReads bounds how many times in a row ReadFrom accepts (0, nil) from a reader before
// giving up with io.ErrNoProgress instead of spinning.
const maxEmptyReads = 100

// WriteTo writes the buffered bytes to w, oldest first, and consumes the ones w accepted. It
// returns the count written and the first error from w, io.ErrShortWrite when w accepted
// fewer bytes without an error, or ErrInvalidCount when w reports an impossible count.
// It does not move the buffered bytes, so slices Peek returned stay valid.
func (r *Ring) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.size > 0 {
		head, _ := r.Peek(-1)
		n, err := w.Write(head)
		if n < 0 || n > len(head) {
			return total, ErrInvalidCount
		}
		r.Discard(n)
		total += int64(n)
		if err != nil {
			return total, err
		}
		if n < len(head) {
			return total, io.ErrShortWrite
		}
	}
	return total, nil
}

// ReadFrom appends bytes read from src until src returns io.EOF, growing the ring as needed,
// and returns how many it appended. It returns the first other error from src, ErrTooLarge
// when the ring is full at MaxRingSize, ErrInvalidCount when src reports an impossible count,
// and io.ErrNoProgress when src keeps returning no bytes and no error. Like Write, it ends
// the validity of slices returned by Peek and Bytes.
func (r *Ring) ReadFrom(src io.Reader) (int64, error) {
	r.giveBackRetired()
	var total int64
	for emptyReads := 0; emptyReads < maxEmptyReads; {
		// Growing only when full keeps the ring as small as the stream allows; growth
		// doubles, so the reads stay few.
		if r.size == len(r.buf) {
			if err := r.grow(1); err != nil {
				return total, err
			}
		}
		free := r.contiguousFreeSpace()
		n, err := src.Read(free)
		if n < 0 || n > len(free) {
			return total, ErrInvalidCount
		}
		r.size += n
		total += int64(n)
		if errors.Is(err, io.EOF) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		if n == 0 {
			emptyReads++
		} else {
			emptyReads = 0
		}
	}
	return total, io.ErrNoProgress
}

// contiguousFreeSpace returns the free bytes that follow the newest buffered byte without
// wrapping.
func (r *Ring) contiguousFreeSpace() []byte {
	end := r.read + r.size
	if end < len(r.buf) {
		return r.buf[end:]
	}
	end -= len(r.buf)
	return r.buf[end:r.read]
}
