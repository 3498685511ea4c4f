package main

import (
	"math/bits"
	"time"
)

// The histogram is log-linear: values below 2*subBuckets nanoseconds get one bucket each;
// above that, every power-of-two range is split into subBuckets equal buckets, so a bucket
// is never wider than 1/subBuckets (about 3%) of the values it holds. This keeps recording
// O(1) and allocation-free while covering nanoseconds to centuries in a fixed array.
const (
	subBucketBits = 5
	subBuckets    = 1 << subBucketBits
	bucketCount   = (64-subBucketBits-1)*subBuckets + 2*subBuckets
)

// histogram counts latency samples. It is owned by one goroutine; merge copies are made
// only after that goroutine has stopped.
type histogram struct {
	counts [bucketCount]uint64
	total  uint64
	max    uint64
}

// bucketIndex maps a value in nanoseconds to its bucket.
func bucketIndex(v uint64) int {
	shift := bits.Len64(v) - subBucketBits - 1
	if shift <= 0 {
		return int(v)
	}
	return shift*subBuckets + int(v>>shift)
}

// bucketBounds returns the smallest and largest value that fall into bucket idx.
func bucketBounds(idx int) (lowest, highest uint64) {
	if idx < 2*subBuckets {
		return uint64(idx), uint64(idx)
	}
	shift := idx/subBuckets - 1
	mantissa := uint64(idx%subBuckets + subBuckets)
	return mantissa << shift, (mantissa+1)<<shift - 1
}

// record adds one sample.
//
// hot path: no allocation
func (h *histogram) record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketIndex(v)]++
	h.total++
	if v > h.max {
		h.max = v
	}
}

// merge adds every sample of other to h.
func (h *histogram) merge(other *histogram) {
	for i, c := range other.counts {
		h.counts[i] += c
	}
	h.total += other.total
	h.max = max(h.max, other.max)
}

// quantile returns an upper bound of the q-quantile (0 < q <= 1): the highest value of the
// bucket holding it, never more than the largest sample. It returns 0 for an empty
// histogram.
func (h *histogram) quantile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q * float64(h.total))
	if float64(rank) < q*float64(h.total) || rank == 0 {
		rank++
	}
	var seen uint64
	for idx, c := range h.counts {
		seen += c
		if seen >= rank {
			_, highest := bucketBounds(idx)
			return time.Duration(min(highest, h.max))
		}
	}
	return time.Duration(h.max)
}
