package kvstore

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests are meant for -race: they mix every operation from several goroutines on
// shared keys, then check that nothing was lost.

func TestConcurrentIncrementsAreNeverLost(t *testing.T) {
	s, _ := newTestStore(t, WithShards(4))
	const workers, increments, keys = 8, 500, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range increments {
				if _, err := s.IncrBy([]byte("counter:"+strconv.Itoa((w+i)%keys)), 1); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for k := range keys {
		value, found := get(t, s, "counter:"+strconv.Itoa(k))
		require.True(t, found)
		n, err := strconv.Atoi(value)
		require.NoError(t, err)
		total += n
	}
	assert.Equal(t, workers*increments, total)
}

func TestConcurrentMixedOperationsKeepEachWritersLastValue(t *testing.T) {
	s, clock := newTestStore(t, WithShards(8))
	const workers, rounds = 6, 300
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			own := []byte(fmt.Sprintf("own:%d", w))
			shared := []byte(fmt.Sprintf("shared:%d", w%2))
			for i := range rounds {
				value := []byte(strconv.Itoa(i))
				s.Set(own, value, SetOptions{})
				s.Set(shared, value, SetOptions{ExpireAt: s.Now() + int64(i%3)})
				if _, err := s.View(shared, func([]byte) {}); err != nil {
					t.Error(err)
				}
				s.Exists(shared)
				s.PTTL(shared)
				s.Expire(shared, s.Now()+10, ExpireIfLater)
				if i%10 == 0 {
					s.Delete(shared)
					clock.advance(time.Millisecond)
					s.ExpireCycle()
					s.Len()
				}
				if _, err := s.Push([]byte("list"), [][]byte{value}, w%2 == 0); err != nil {
					t.Error(err)
				}
				if _, err := s.Range([]byte("list"), 0, 2, func(int, []byte) {}); err != nil {
					t.Error(err)
				}
				if _, err := s.Pop([]byte("list"), w%2 == 1, 1, nil); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for w := range workers {
		value, found := get(t, s, fmt.Sprintf("own:%d", w))
		require.True(t, found)
		assert.Equal(t, strconv.Itoa(rounds-1), value)
	}
}
