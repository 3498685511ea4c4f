package kvstore

// ExpireCondition restricts when Expire sets an expiry, as EXPIRE's options do. Conditions
// combine with |; the zero value sets the expiry unconditionally.
type ExpireCondition uint8

const (
	// ExpireIfNone sets the expiry only when the key has none (NX).
	ExpireIfNone ExpireCondition = 1 << iota
	// ExpireIfAny sets it only when the key has one (XX).
	ExpireIfAny
	// ExpireIfLater sets it only when it is later than the key's current one; a key with none
	// counts as expiring never, so it is not set (GT).
	ExpireIfLater
	// ExpireIfEarlier sets it only when it is earlier than the key's current one, or the key
	// has none (LT).
	ExpireIfEarlier
)

// ExpireAlways is the ExpireCondition that sets the expiry unconditionally.
const ExpireAlways ExpireCondition = 0

// Delete removes key and reports whether it existed.
func (s *Store) Delete(key []byte) bool {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if e != nil {
		sh.remove(e)
	}
	sh.mu.Unlock()
	return e != nil
}

// Exists reports whether key exists.
func (s *Store) Exists(key []byte) bool {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	sh.mu.Unlock()
	return e != nil
}

// Expire makes key expire at the Unix millisecond at, if cond allows, and reports whether it
// did; a key that does not exist is never given an expiry. A time not after the store's
// clock removes the key at once (and counts as done), as in Redis.
func (s *Store) Expire(key []byte, at int64, cond ExpireCondition) bool {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	done := e != nil && expiryAllowed(e.expireAt, at, cond)
	if done {
		if at <= s.Now() {
			sh.remove(e)
		} else {
			sh.setExpiry(e, at)
		}
	}
	sh.mu.Unlock()
	return done
}

// expiryAllowed applies an ExpireCondition to a key's current expiry (0: none) and a new one.
func expiryAllowed(current, at int64, cond ExpireCondition) bool {
	if cond&ExpireIfNone != 0 && current != 0 {
		return false
	}
	if cond&ExpireIfAny != 0 && current == 0 {
		return false
	}
	if cond&ExpireIfLater != 0 && (current == 0 || at <= current) {
		return false
	}
	if cond&ExpireIfEarlier != 0 && current != 0 && at >= current {
		return false
	}
	return true
}

// PTTL returns the milliseconds key has left to live, or -1 when it has no expiry, or -2 when
// it does not exist: Redis's PTTL.
func (s *Store) PTTL(key []byte) int64 {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	var ttl int64
	switch {
	case e == nil:
		ttl = -2
	case e.expireAt == 0:
		ttl = -1
	default:
		ttl = max(e.expireAt-s.Now(), 0)
	}
	sh.mu.Unlock()
	return ttl
}
