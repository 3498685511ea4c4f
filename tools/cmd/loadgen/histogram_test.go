package main

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHistogramBucketHoldsItsValueWithinThreePercent(t *testing.T) {
	values := []uint64{0, 1, 31, 32, 63, 64, 65, 127, 128, 1000, 4095, 4096, 123456789, 1 << 40, math.MaxUint64 - 1, math.MaxUint64}
	for v := uint64(1); v < 1<<20; v = v*3 + 1 {
		values = append(values, v)
	}
	for _, v := range values {
		idx := bucketIndex(v)
		require.Less(t, idx, bucketCount, "value %d", v)
		lowest, highest := bucketBounds(idx)
		assert.LessOrEqual(t, lowest, v, "value %d", v)
		assert.GreaterOrEqual(t, highest, v, "value %d", v)
		assert.LessOrEqual(t, float64(highest-lowest), float64(v)/subBuckets, "bucket of %d is too wide", v)
	}
}

func TestHistogramBucketsAreContiguous(t *testing.T) {
	for idx := 1; idx < bucketCount; idx++ {
		_, previousHighest := bucketBounds(idx - 1)
		lowest, _ := bucketBounds(idx)
		require.Equal(t, previousHighest+1, lowest, "bucket %d", idx)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	tests := []struct {
		name    string
		samples []time.Duration
		q       float64
		want    time.Duration
	}{
		{name: "empty", samples: nil, q: 0.5, want: 0},
		{name: "single sample is every quantile", samples: []time.Duration{7 * time.Microsecond}, q: 0.99, want: 7 * time.Microsecond},
		{name: "median of exact small values", samples: []time.Duration{1, 2, 3, 4, 5}, q: 0.5, want: 3},
		{name: "p99 of a hundred values", samples: sequence(1, 100), q: 0.99, want: 99},
		{name: "outlier is the max", samples: append(sequence(1, 10), time.Second), q: 1, want: time.Second},
		{name: "outlier is beyond the p99", samples: append(sequence(1, 199), time.Second), q: 0.99, want: 199},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h histogram
			for _, s := range tt.samples {
				h.record(s)
			}
			assert.Equal(t, tt.want, h.quantile(tt.q))
		})
	}
}

func TestHistogramQuantileOfWideValuesIsAtMostThreePercentHigh(t *testing.T) {
	var h histogram
	for us := 1; us <= 1000; us++ {
		h.record(time.Duration(us) * time.Microsecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{
		{q: 0.5, want: 500 * time.Microsecond},
		{q: 0.99, want: 990 * time.Microsecond},
	} {
		got := h.quantile(tt.q)
		assert.GreaterOrEqual(t, got, tt.want, "q=%v", tt.q)
		assert.LessOrEqual(t, float64(got), float64(tt.want)*(1+1.0/subBuckets), "q=%v", tt.q)
	}
	assert.Equal(t, 1000*time.Microsecond, h.quantile(1))
}

func TestHistogramMergeAddsCountsAndKeepsTheLargestMax(t *testing.T) {
	var a, b histogram
	a.record(10)
	a.record(20)
	b.record(5000)

	a.merge(&b)

	assert.Equal(t, uint64(3), a.total)
	assert.Equal(t, uint64(5000), a.max)
	assert.Equal(t, time.Duration(20), a.quantile(2.0/3))
}

func TestHistogramRecordDoesNotAllocate(t *testing.T) {
	var h histogram
	allocs := testing.AllocsPerRun(100, func() { h.record(123 * time.Microsecond) })
	assert.Zero(t, allocs)
}

// sequence returns the nanosecond durations from, from+1, ..., to.
func sequence(from, to int) []time.Duration {
	out := make([]time.Duration, 0, to-from+1)
	for v := from; v <= to; v++ {
		out = append(out, time.Duration(v))
	}
	return out
}
