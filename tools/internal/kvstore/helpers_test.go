package kvstore

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// manualClock is a clock that moves only when a test says so.
type manualClock struct{ ms atomic.Int64 }

func (c *manualClock) now() time.Time { return time.UnixMilli(c.ms.Load()) }

func (c *manualClock) advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// newTestStore returns a store on a manual clock that starts at an arbitrary fixed time.
func newTestStore(t testing.TB, opts ...Option) (*Store, *manualClock) {
	t.Helper()
	clock := &manualClock{}
	clock.ms.Store(1_700_000_000_000)
	s, err := New(append([]Option{WithClock(clock.now)}, opts...)...)
	require.NoError(t, err)
	return s, clock
}

// get returns key's string value, and whether it exists.
func get(t testing.TB, s *Store, key string) (string, bool) {
	t.Helper()
	var value string
	found, err := s.View([]byte(key), func(v []byte) { value = string(v) })
	require.NoError(t, err)
	return value, found
}

func set(t testing.TB, s *Store, key, value string, opts SetOptions) bool {
	t.Helper()
	return s.Set([]byte(key), []byte(value), opts)
}
