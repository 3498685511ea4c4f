package kvstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDeleteAndExistsSeeOnlyLiveKeys(t *testing.T) {
	s, _ := newTestStore(t)
	set(t, s, "live", "v", SetOptions{})
	set(t, s, "expired", "v", SetOptions{ExpireAt: s.Now() - 1})

	assert.True(t, s.Exists([]byte("live")))
	assert.False(t, s.Exists([]byte("expired")))
	assert.False(t, s.Exists([]byte("missing")))

	assert.True(t, s.Delete([]byte("live")))
	assert.False(t, s.Delete([]byte("live")), "already gone")
	assert.False(t, s.Delete([]byte("expired")))
	assert.Zero(t, s.Len())
}

func TestExpireAppliesItsConditionLikeRedis(t *testing.T) {
	tests := []struct {
		name      string
		current   int64 // 0: no expiry; otherwise milliseconds from now
		at        int64 // milliseconds from now
		condition ExpireCondition
		wantDone  bool
		wantTTL   int64
	}{
		{name: "always, none before", at: 5000, condition: ExpireAlways, wantDone: true, wantTTL: 5000},
		{name: "always, replaces", current: 9000, at: 5000, condition: ExpireAlways, wantDone: true, wantTTL: 5000},
		{name: "NX, none before", at: 5000, condition: ExpireIfNone, wantDone: true, wantTTL: 5000},
		{name: "NX, one before", current: 9000, at: 5000, condition: ExpireIfNone, wantTTL: 9000},
		{name: "XX, none before", at: 5000, condition: ExpireIfAny, wantTTL: -1},
		{name: "XX, one before", current: 9000, at: 5000, condition: ExpireIfAny, wantDone: true, wantTTL: 5000},
		{name: "GT, none before counts as never", at: 5000, condition: ExpireIfLater, wantTTL: -1},
		{name: "GT, later", current: 3000, at: 5000, condition: ExpireIfLater, wantDone: true, wantTTL: 5000},
		{name: "GT, earlier", current: 9000, at: 5000, condition: ExpireIfLater, wantTTL: 9000},
		{name: "LT, none before counts as never", at: 5000, condition: ExpireIfEarlier, wantDone: true, wantTTL: 5000},
		{name: "LT, earlier", current: 9000, at: 5000, condition: ExpireIfEarlier, wantDone: true, wantTTL: 5000},
		{name: "LT, later", current: 3000, at: 5000, condition: ExpireIfEarlier, wantTTL: 3000},
		{name: "XX and LT, none before", at: 5000, condition: ExpireIfAny | ExpireIfEarlier, wantTTL: -1},
		{name: "XX and LT, earlier", current: 9000, at: 5000, condition: ExpireIfAny | ExpireIfEarlier, wantDone: true, wantTTL: 5000},
		{name: "a time not in the future deletes", at: 0, condition: ExpireAlways, wantDone: true, wantTTL: -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			opts := SetOptions{}
			if tt.current != 0 {
				opts.ExpireAt = s.Now() + tt.current
			}
			set(t, s, "k", "v", opts)
			assert.Equal(t, tt.wantDone, s.Expire([]byte("k"), s.Now()+tt.at, tt.condition))
			assert.Equal(t, tt.wantTTL, s.PTTL([]byte("k")))
		})
	}
}

func TestExpireOfAMissingKeyDoesNothing(t *testing.T) {
	s, _ := newTestStore(t)
	assert.False(t, s.Expire([]byte("missing"), s.Now()+1000, ExpireAlways))
	assert.Zero(t, s.Len())
}

func TestPTTLReportsMissingNoExpiryAndTimeLeft(t *testing.T) {
	s, clock := newTestStore(t)
	set(t, s, "plain", "v", SetOptions{})
	set(t, s, "volatile", "v", SetOptions{ExpireAt: s.Now() + 1000})
	assert.Equal(t, int64(-2), s.PTTL([]byte("missing")))
	assert.Equal(t, int64(-1), s.PTTL([]byte("plain")))
	assert.Equal(t, int64(1000), s.PTTL([]byte("volatile")))

	clock.advance(1000 * time.Millisecond)
	assert.Equal(t, int64(0), s.PTTL([]byte("volatile")), "alive through its last millisecond")
	clock.advance(time.Millisecond)
	assert.Equal(t, int64(-2), s.PTTL([]byte("volatile")))
}
