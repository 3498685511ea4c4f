package buffer

import (
	"math/bits"
	"sync"
	"unsafe"
)

const (
	// MinPooledSize is the capacity of the smallest pooled slice; Get rounds smaller
	// requests up to it.
	MinPooledSize = 1 << minPooledShift
	// MaxPooledSize is the capacity of the largest pooled slice; Get allocates larger
	// requests exactly and Put drops them.
	MaxPooledSize = 1 << maxPooledShift

	minPooledShift = 6
	maxPooledShift = 22
	poolClasses    = maxPooledShift - minPooledShift + 1
)

// bytePools holds one pool per power-of-two capacity. Each pool stores a pointer to the
// first byte of a free array: a pointer fits in an interface without the allocation that
// boxing a slice header would cost, and the class fixes the length to rebuild the slice.
var bytePools [poolClasses]sync.Pool

// Get returns a slice of length size whose capacity is size rounded up to a power of two (at
// least MinPooledSize), taken from the pool when one is free. Requests above MaxPooledSize
// are allocated with capacity size and are not pooled. size <= 0 returns nil. The contents
// are not zeroed: they may hold bytes an earlier owner wrote, so write before you read.
// Safe from any goroutine; the slice belongs to the caller until it hands it to Put.
func Get(size int) []byte {
	// hot path: no allocation once the class's pool holds a free array
	if size <= 0 {
		return nil
	}
	if size > MaxPooledSize {
		return make([]byte, size)
	}
	class := sizeClass(size)
	if first, ok := bytePools[class].Get().(*byte); ok {
		return unsafe.Slice(first, classSize(class))[:size]
	}
	return make([]byte, size, classSize(class))
}

// Put gives b's backing array back to the pool of its capacity, so that a later Get may hand
// it out again. A slice whose capacity is not a pooled class size (see Get) is dropped and
// left to the garbage collector. After Put neither b nor any slice sharing its array may be
// used again: the array may already belong to another goroutine. Safe from any goroutine.
func Put(b []byte) {
	// hot path: no allocation
	c := cap(b)
	if c < MinPooledSize || c > MaxPooledSize || c&(c-1) != 0 {
		return
	}
	bytePools[bits.TrailingZeros(uint(c))-minPooledShift].Put(unsafe.SliceData(b[:c]))
}

// sizeClass returns the index of the smallest class that holds size bytes, for
// 0 < size <= MaxPooledSize.
func sizeClass(size int) int {
	if size <= MinPooledSize {
		return 0
	}
	return bits.Len(uint(size-1)) - minPooledShift
}

func classSize(class int) int { return 1 << (class + minPooledShift) }

// roundUpToPowerOfTwo returns the smallest power of two that is >= n, for 0 < n <= 1<<62.
func roundUpToPowerOfTwo(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}
