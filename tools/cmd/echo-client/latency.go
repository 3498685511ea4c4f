package main

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// latencies is a lock-free histogram of round-trip times: 64 power-of-two buckets of
// nanoseconds, each split into 8 linear sub-buckets, about 12% resolution. Any loop may record
// into it at once.
type latencies struct {
	buckets [64 * 8]atomic.Uint64
}

func (l *latencies) record(d time.Duration) {
	ns := uint64(max(d, 1))
	exp := 63 - bits.LeadingZeros64(ns)
	sub := uint64(0)
	if exp >= 3 {
		sub = (ns >> (exp - 3)) & 7
	}
	l.buckets[exp*8+int(sub)].Add(1)
}

// quantile returns the q-th quantile in microseconds, from the bucket's lower bound.
func (l *latencies) quantile(q float64) float64 {
	var total uint64
	for i := range l.buckets {
		total += l.buckets[i].Load()
	}
	if total == 0 {
		return 0
	}
	want := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i := range l.buckets {
		seen += l.buckets[i].Load()
		if seen >= want {
			exp, sub := i/8, i%8
			lower := float64(uint64(1) << exp)
			if exp >= 3 {
				lower += float64(sub) * lower / 8
			}
			return lower / 1e3
		}
	}
	return 0
}
