package kvstore

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetWritesUnlessItsConditionForbids(t *testing.T) {
	tests := []struct {
		name      string
		existing  bool
		condition Condition
		wantSet   bool
		wantValue string
	}{
		{name: "always over nothing", condition: Always, wantSet: true, wantValue: "new"},
		{name: "always over a value", existing: true, condition: Always, wantSet: true, wantValue: "new"},
		{name: "if absent over nothing", condition: IfAbsent, wantSet: true, wantValue: "new"},
		{name: "if absent over a value", existing: true, condition: IfAbsent, wantValue: "old"},
		{name: "if present over nothing", condition: IfPresent},
		{name: "if present over a value", existing: true, condition: IfPresent, wantSet: true, wantValue: "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			if tt.existing {
				set(t, s, "k", "old", SetOptions{})
			}
			assert.Equal(t, tt.wantSet, set(t, s, "k", "new", SetOptions{Condition: tt.condition}))
			value, found := get(t, s, "k")
			assert.Equal(t, tt.wantValue != "", found)
			assert.Equal(t, tt.wantValue, value)
		})
	}
}

func TestSetCopiesTheValueIn(t *testing.T) {
	s, _ := newTestStore(t)
	value := []byte("abc")
	s.Set([]byte("k"), value, SetOptions{})
	value[0] = 'X'
	got, _ := get(t, s, "k")
	assert.Equal(t, "abc", got)
}

func TestSetReplacesOrKeepsTheExpiry(t *testing.T) {
	s, _ := newTestStore(t)
	later := s.Now() + 10_000
	set(t, s, "k", "v", SetOptions{ExpireAt: later})
	assert.Equal(t, int64(10_000), s.PTTL([]byte("k")))

	set(t, s, "k", "v2", SetOptions{KeepTTL: true})
	assert.Equal(t, int64(10_000), s.PTTL([]byte("k")), "KeepTTL keeps it")

	set(t, s, "k", "v3", SetOptions{})
	assert.Equal(t, int64(-1), s.PTTL([]byte("k")), "a plain Set clears it")
}

func TestSetWithAnExpiryInThePastLeavesNoKey(t *testing.T) {
	s, _ := newTestStore(t)
	assert.True(t, set(t, s, "k", "v", SetOptions{ExpireAt: s.Now() - 1}))
	_, found := get(t, s, "k")
	assert.False(t, found)
}

func TestIncrByFollowsRedisIntegerRules(t *testing.T) {
	tests := []struct {
		name    string
		initial *string
		delta   int64
		want    int64
		wantErr error
	}{
		{name: "missing key counts as zero", delta: 5, want: 5},
		{name: "positive", initial: ptr("10"), delta: 1, want: 11},
		{name: "negative result", initial: ptr("1"), delta: -3, want: -2},
		{name: "to the largest", initial: ptr(strconv.FormatInt(math.MaxInt64-1, 10)), delta: 1, want: math.MaxInt64},
		{name: "past the largest", initial: ptr(strconv.FormatInt(math.MaxInt64, 10)), delta: 1, wantErr: ErrOverflow},
		{name: "past the smallest", initial: ptr(strconv.FormatInt(math.MinInt64, 10)), delta: -1, wantErr: ErrOverflow},
		{name: "not a number", initial: ptr("abc"), delta: 1, wantErr: ErrNotInteger},
		{name: "leading zero", initial: ptr("01"), delta: 1, wantErr: ErrNotInteger},
		{name: "leading space", initial: ptr(" 1"), delta: 1, wantErr: ErrNotInteger},
		{name: "empty string", initial: ptr(""), delta: 1, wantErr: ErrNotInteger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			if tt.initial != nil {
				set(t, s, "n", *tt.initial, SetOptions{})
			}
			got, err := s.IncrBy([]byte("n"), tt.delta)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				value, _ := get(t, s, "n")
				assert.Equal(t, *tt.initial, value, "a failed increment changes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			value, _ := get(t, s, "n")
			assert.Equal(t, strconv.FormatInt(tt.want, 10), value)
		})
	}
}

func TestIncrByKeepsTheExpiry(t *testing.T) {
	s, _ := newTestStore(t)
	set(t, s, "n", "1", SetOptions{ExpireAt: s.Now() + 5000})
	_, err := s.IncrBy([]byte("n"), 1)
	require.NoError(t, err)
	assert.Equal(t, int64(5000), s.PTTL([]byte("n")))
}

func TestStringOperationsOnAListReportWrongType(t *testing.T) {
	s, _ := newTestStore(t)
	_, err := s.Push([]byte("l"), [][]byte{[]byte("a")}, false)
	require.NoError(t, err)

	found, err := s.View([]byte("l"), func([]byte) { t.Error("visit called for a list") })
	assert.ErrorIs(t, err, ErrWrongType)
	assert.False(t, found)
	_, err = s.IncrBy([]byte("l"), 1)
	assert.ErrorIs(t, err, ErrWrongType)

	assert.True(t, set(t, s, "l", "now a string", SetOptions{}), "Set replaces any kind")
	value, _ := get(t, s, "l")
	assert.Equal(t, "now a string", value)
}

func TestViewAndSetOfAnExistingKeyAllocateNothing(t *testing.T) {
	s, _ := newTestStore(t)
	key, value := []byte("key:__rand_int__"), []byte("xxx")
	s.Set(key, value, SetOptions{})
	reply := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(1000, func() {
		s.Set(key, value, SetOptions{})
		reply = reply[:0]
		if _, err := s.View(key, func(v []byte) { reply = append(reply, v...) }); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, "xxx", string(reply))
}

func TestOverwritingWithAMuchSmallerValueDropsTheLargeArray(t *testing.T) {
	s, _ := newTestStore(t)
	set(t, s, "k", string(make([]byte, 1<<20)), SetOptions{})
	set(t, s, "k", "small", SetOptions{})
	var capacity int
	_, err := s.View([]byte("k"), func(v []byte) { capacity = cap(v) })
	require.NoError(t, err)
	assert.Less(t, capacity, 1024)
}

func ptr(s string) *string { return &s }
