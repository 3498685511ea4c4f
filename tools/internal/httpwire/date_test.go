package httpwire

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDateCacheHoldsTheTimeInIMFFixdateInGMT(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{name: "UTC", now: time.Date(1994, time.November, 6, 8, 49, 37, 0, time.UTC), want: "Sun, 06 Nov 1994 08:49:37 GMT"},
		{name: "another zone is converted", now: time.Date(2026, time.January, 2, 1, 0, 0, 999, time.FixedZone("X", 2*3600)),
			want: "Thu, 01 Jan 2026 23:00:00 GMT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(NewDateCache(tt.now).Bytes())
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.now.UTC().Format(http.TimeFormat), got)
		})
	}
}

func TestDateCacheRefreshLeavesEarlierSlicesUnchanged(t *testing.T) {
	first := time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)
	dc := NewDateCache(first)
	before := dc.Bytes()
	dc.Refresh(first.Add(time.Second))
	assert.Equal(t, "Sun, 01 Mar 2026 12:00:00 GMT", string(before))
	assert.Equal(t, "Sun, 01 Mar 2026 12:00:01 GMT", string(dc.Bytes()))
}

func TestDateCacheIsSafeToRefreshWhileRead(t *testing.T) {
	dc := NewDateCache(time.Unix(0, 0))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			dc.Refresh(time.Unix(int64(i), 0))
		}
	}()
	for range 1000 {
		assert.Len(t, dc.Bytes(), len(dateLayout))
	}
	<-done
	assert.Equal(t, time.Unix(999, 0).UTC().Format(http.TimeFormat), string(dc.Bytes()))
}
