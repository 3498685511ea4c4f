package kvstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnExpiredKeyIsGoneAndRemovedWhenTouched(t *testing.T) {
	s, clock := newTestStore(t)
	set(t, s, "k", "v", SetOptions{ExpireAt: s.Now() + 100})
	value, found := get(t, s, "k")
	require.True(t, found)
	assert.Equal(t, "v", value)

	clock.advance(101 * time.Millisecond)
	assert.Equal(t, 1, s.Len(), "nothing removes it before it is touched")
	_, found = get(t, s, "k")
	assert.False(t, found)
	assert.Zero(t, s.Len(), "the read removed it")
}

func TestEveryOperationTreatsAnExpiredKeyAsMissing(t *testing.T) {
	tests := []struct {
		name string
		run  func(s *Store) any
		want any
	}{
		{name: "View", run: func(s *Store) any { found, _ := s.View([]byte("k"), func([]byte) {}); return found }, want: false},
		{name: "Exists", run: func(s *Store) any { return s.Exists([]byte("k")) }, want: false},
		{name: "Delete", run: func(s *Store) any { return s.Delete([]byte("k")) }, want: false},
		{name: "PTTL", run: func(s *Store) any { return s.PTTL([]byte("k")) }, want: int64(-2)},
		{name: "Set IfAbsent", run: func(s *Store) any { return s.Set([]byte("k"), []byte("new"), SetOptions{Condition: IfAbsent}) }, want: true},
		{name: "Set IfPresent", run: func(s *Store) any { return s.Set([]byte("k"), []byte("new"), SetOptions{Condition: IfPresent}) }, want: false},
		{name: "IncrBy starts from zero", run: func(s *Store) any { n, _ := s.IncrBy([]byte("k"), 1); return n }, want: int64(1)},
		{name: "Expire", run: func(s *Store) any { return s.Expire([]byte("k"), s.Now()+1000, ExpireAlways) }, want: false},
		{name: "ListLen", run: func(s *Store) any { n, _ := s.ListLen([]byte("k")); return n }, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := newTestStore(t)
			set(t, s, "k", "7", SetOptions{ExpireAt: s.Now() + 10})
			clock.advance(11 * time.Millisecond)
			assert.Equal(t, tt.want, tt.run(s))
		})
	}
}

func TestExpireCycleRemovesExpiredKeysNobodyTouches(t *testing.T) {
	s, clock := newTestStore(t, WithShards(4))
	for i := range 100 {
		set(t, s, fmt.Sprintf("short:%d", i), "v", SetOptions{ExpireAt: s.Now() + 10})
		set(t, s, fmt.Sprintf("long:%d", i), "v", SetOptions{ExpireAt: s.Now() + 10_000})
		set(t, s, fmt.Sprintf("plain:%d", i), "v", SetOptions{})
	}
	assert.Zero(t, s.ExpireCycle(), "nothing has expired yet")

	clock.advance(11 * time.Millisecond)
	removed := 0
	for range 100 { // each call removes most of what it samples; a few calls remove all
		removed += s.ExpireCycle()
		if s.Len() == 200 {
			break
		}
	}
	assert.Equal(t, 100, removed)
	assert.Equal(t, 200, s.Len(), "only the expired keys went")
	_, found := get(t, s, "long:5")
	assert.True(t, found)
}

func TestExpireCycleBoundsTheWorkOfOneCallPerShard(t *testing.T) {
	s, clock := newTestStore(t, WithShards(1))
	for i := range 1000 {
		set(t, s, fmt.Sprintf("k:%d", i), "v", SetOptions{ExpireAt: s.Now() + 1})
	}
	clock.advance(2 * time.Millisecond)
	assert.Equal(t, expiryMaxRounds*expirySample, s.ExpireCycle())
	assert.Equal(t, 1000-expiryMaxRounds*expirySample, s.Len())
}

func TestRemovingAnExpiryTakesTheKeyOutOfTheCycle(t *testing.T) {
	s, clock := newTestStore(t)
	set(t, s, "k", "v", SetOptions{ExpireAt: s.Now() + 10})
	set(t, s, "k", "v", SetOptions{}) // no expiry any more
	clock.advance(time.Hour)
	assert.Zero(t, s.ExpireCycle())
	_, found := get(t, s, "k")
	assert.True(t, found)
}
