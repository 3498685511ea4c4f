package kvstore

// The active half of expiry, after Redis's activeExpireCycle: sample a few keys that have a
// time to live, remove those past it, and sample again while many were.
const (
	// expirySample is how many keys with a time to live one round looks at in a shard.
	expirySample = 20
	// expiryRepeatShare is the share of a sample, in percent, that must have expired for
	// another round: above it, many more expired keys are probably left.
	expiryRepeatShare = 25
	// expiryMaxRounds bounds the rounds per shard and call, so that a call holds each lock
	// briefly however many keys expired at once.
	expiryMaxRounds = 16
)

// ExpireCycle removes expired keys by sampling each shard's keys with a time to live, and
// returns how many it removed. A server calls it periodically (Redis does ten times a
// second) from any goroutine; each shard is locked in turn, briefly.
func (s *Store) ExpireCycle() int {
	removed := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		removed += s.expireShardLocked(sh)
		sh.mu.Unlock()
	}
	return removed
}

func (s *Store) expireShardLocked(sh *shard) int {
	if len(sh.volatile) == 0 {
		return 0
	}
	now := s.Now()
	removed := 0
	for range expiryMaxRounds {
		sampled, expired := 0, 0
		// Map iteration starts at a random place: breaking off after a few keys samples them.
		for _, e := range sh.volatile {
			sampled++
			if e.expiredAt(now) {
				sh.remove(e)
				expired++
			}
			if sampled == expirySample {
				break
			}
		}
		removed += expired
		if expired*100 <= sampled*expiryRepeatShare {
			break
		}
	}
	return removed
}
