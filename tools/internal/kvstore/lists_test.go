package kvstore

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func values(elems ...string) [][]byte {
	out := make([][]byte, len(elems))
	for i, e := range elems {
		out[i] = []byte(e)
	}
	return out
}

// elements returns the whole list at key.
func elements(t *testing.T, s *Store, key string) []string {
	t.Helper()
	var got []string
	_, err := s.Range([]byte(key), 0, -1, func(_ int, elem []byte) { got = append(got, string(elem)) })
	require.NoError(t, err)
	return got
}

func TestPushAddsAtEitherEndInRedisOrder(t *testing.T) {
	s, _ := newTestStore(t)
	n, err := s.Push([]byte("l"), values("a", "b"), false)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	n, err = s.Push([]byte("l"), values("x", "y"), true)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, []string{"y", "x", "a", "b"}, elements(t, s, "l"))
}

func TestPushCopiesTheValuesIn(t *testing.T) {
	s, _ := newTestStore(t)
	v := []byte("abc")
	_, err := s.Push([]byte("l"), [][]byte{v}, false)
	require.NoError(t, err)
	v[0] = 'X'
	assert.Equal(t, []string{"abc"}, elements(t, s, "l"))
}

func TestListKeepsOrderAcrossGrowthAndWrapping(t *testing.T) {
	s, _ := newTestStore(t)
	var want []string
	for i := range 50 {
		v := strconv.Itoa(i)
		if i%3 == 0 {
			_, err := s.Push([]byte("l"), values(v), true)
			require.NoError(t, err)
			want = append([]string{v}, want...)
		} else {
			_, err := s.Push([]byte("l"), values(v), false)
			require.NoError(t, err)
			want = append(want, v)
		}
		if i%7 == 6 {
			popped, err := s.Pop([]byte("l"), true, 1, nil)
			require.NoError(t, err)
			assert.Equal(t, want[0], string(popped[0]))
			want = want[1:]
		}
	}
	assert.Equal(t, want, elements(t, s, "l"))
}

func TestPopTakesUpToCountAndDeletesAnEmptiedList(t *testing.T) {
	s, _ := newTestStore(t)
	_, err := s.Push([]byte("l"), values("a", "b", "c"), false)
	require.NoError(t, err)

	got, err := s.Pop([]byte("l"), false, 2, nil)
	require.NoError(t, err)
	assert.Equal(t, values("c", "b"), got)

	got, err = s.Pop([]byte("l"), true, 10, nil)
	require.NoError(t, err)
	assert.Equal(t, values("a"), got)
	assert.False(t, s.Exists([]byte("l")))

	got, err = s.Pop([]byte("l"), true, 1, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestRangeUsesRedisIndexes(t *testing.T) {
	tests := []struct {
		name        string
		start, stop int64
		want        []string
	}{
		{name: "everything", start: 0, stop: -1, want: []string{"a", "b", "c", "d"}},
		{name: "first two", start: 0, stop: 1, want: []string{"a", "b"}},
		{name: "last two", start: -2, stop: -1, want: []string{"c", "d"}},
		{name: "stop past the end", start: 2, stop: 100, want: []string{"c", "d"}},
		{name: "start before the beginning", start: -100, stop: 0, want: []string{"a"}},
		{name: "start after stop", start: 3, stop: 1},
		{name: "start past the end", start: 10, stop: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			_, err := s.Push([]byte("l"), values("a", "b", "c", "d"), false)
			require.NoError(t, err)
			var got []string
			counts := map[int]bool{}
			n, err := s.Range([]byte("l"), tt.start, tt.stop, func(n int, elem []byte) {
				counts[n] = true
				got = append(got, string(elem))
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, len(tt.want), n)
			if len(tt.want) > 0 {
				assert.Equal(t, map[int]bool{len(tt.want): true}, counts, "visit is told the count every time")
			}
		})
	}
}

func TestListOperationsOnAStringReportWrongType(t *testing.T) {
	s, _ := newTestStore(t)
	set(t, s, "s", "v", SetOptions{})
	_, err := s.Push([]byte("s"), values("a"), true)
	assert.ErrorIs(t, err, ErrWrongType)
	_, err = s.Pop([]byte("s"), true, 1, nil)
	assert.ErrorIs(t, err, ErrWrongType)
	_, err = s.ListLen([]byte("s"))
	assert.ErrorIs(t, err, ErrWrongType)
	_, err = s.Range([]byte("s"), 0, -1, func(int, []byte) { t.Error("visit called for a string") })
	assert.ErrorIs(t, err, ErrWrongType)
}

func TestListLenCountsElements(t *testing.T) {
	s, _ := newTestStore(t)
	n, err := s.ListLen([]byte("l"))
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = s.Push([]byte("l"), values("a", "b"), true)
	require.NoError(t, err)
	n, err = s.ListLen([]byte("l"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}
