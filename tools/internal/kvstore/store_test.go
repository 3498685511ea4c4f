package kvstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewAcceptsOnlyPowerOfTwoShardCounts(t *testing.T) {
	tests := []struct {
		name   string
		shards int
		valid  bool
	}{
		{name: "one", shards: 1, valid: true},
		{name: "default", shards: DefaultShards, valid: true},
		{name: "largest", shards: MaxShards, valid: true},
		{name: "zero", shards: 0},
		{name: "negative", shards: -4},
		{name: "not a power of two", shards: 6},
		{name: "too many", shards: 2 * MaxShards},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(WithShards(tt.shards))
			if tt.valid {
				require.NoError(t, err)
				assert.NotNil(t, s)
			} else {
				assert.ErrorIs(t, err, ErrInvalidShards)
			}
		})
	}
}

func TestLenCountsKeysOfEveryShardAndFlushRemovesThemAll(t *testing.T) {
	s, _ := newTestStore(t, WithShards(4))
	for i := range 100 {
		set(t, s, fmt.Sprintf("key:%d", i), "v", SetOptions{})
	}
	assert.Equal(t, 100, s.Len())
	s.Flush()
	assert.Zero(t, s.Len())
	_, found := get(t, s, "key:1")
	assert.False(t, found)
}

func TestNowReadsTheInjectedClockInMilliseconds(t *testing.T) {
	s, clock := newTestStore(t)
	start := s.Now()
	clock.advance(1500 * time.Millisecond)
	assert.Equal(t, start+1500, s.Now())
}
