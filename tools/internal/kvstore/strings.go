package kvstore

import (
	"strconv"

	"github.com/gnetio/gnet/tools/internal/resp"
)

// Condition says when Set writes.
type Condition uint8

const (
	// Always writes whether or not the key exists.
	Always Condition = iota
	// IfAbsent writes only when the key does not exist (SET's NX).
	IfAbsent
	// IfPresent writes only when the key exists (SET's XX).
	IfPresent
)

// SetOptions are the variants of Set.
type SetOptions struct {
	// Condition says whether an existing key may, or must, be overwritten.
	Condition Condition
	// ExpireAt is when the key expires, in Unix milliseconds by the store's clock; 0 means
	// never. A time already past is accepted: the key is then gone at once.
	ExpireAt int64
	// KeepTTL keeps an existing key's expiry instead of applying ExpireAt.
	KeepTTL bool
}

// View calls visit with the string value of key, under the shard's lock, and reports
// whether the key exists. visit must not keep the slice, nor call the store; it may copy the
// bytes wherever it likes (into a reply). It returns ErrWrongType, without calling visit, for
// a key that holds a list.
func (s *Store) View(key []byte, visit func(value []byte)) (bool, error) {
	// hot path: no allocation, no defer; the shard's lock is the one lock taken
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if e == nil {
		sh.mu.Unlock()
		return false, nil
	}
	if e.kind != kindString {
		sh.mu.Unlock()
		return false, ErrWrongType
	}
	visit(e.value)
	sh.mu.Unlock()
	return true, nil
}

// Set stores a copy of value under key, replacing whatever the key held, and reports whether
// it did: opts.Condition may forbid it.
func (s *Store) Set(key, value []byte, opts SetOptions) bool {
	// hot path: no allocation when the key exists and its memory fits the value, no defer;
	// the shard's lock is the one lock taken
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if (opts.Condition == IfAbsent && e != nil) || (opts.Condition == IfPresent && e == nil) {
		sh.mu.Unlock()
		return false
	}
	if e == nil {
		e = sh.insert(key)
	}
	e.setString(value)
	if !opts.KeepTTL {
		sh.setExpiry(e, opts.ExpireAt)
	}
	sh.mu.Unlock()
	return true
}

// IncrBy adds delta to the integer held as a decimal string at key (0 when the key does not
// exist), stores the result, keeping the key's expiry, and returns it. It returns
// ErrWrongType for a list, ErrNotInteger for a value that is not a 64-bit decimal integer by
// Redis's rules (resp.ParseInt), and ErrOverflow when the result would not fit.
func (s *Store) IncrBy(key []byte, delta int64) (int64, error) {
	// hot path: no allocation when the key exists, no defer; the shard's lock is the one
	// lock taken
	sh := s.shardOf(key)
	sh.mu.Lock()
	result, err := s.incrByLocked(sh, key, delta)
	sh.mu.Unlock()
	return result, err
}

func (s *Store) incrByLocked(sh *shard, key []byte, delta int64) (int64, error) {
	e := s.liveLocked(sh, key)
	var current int64
	if e != nil {
		if e.kind != kindString {
			return 0, ErrWrongType
		}
		var ok bool
		if current, ok = resp.ParseInt(e.value); !ok {
			return 0, ErrNotInteger
		}
	}
	if (delta < 0 && current < 0 && delta < minInt64-current) ||
		(delta > 0 && current > 0 && delta > maxInt64-current) {
		return 0, ErrOverflow
	}
	current += delta
	if e == nil {
		e = sh.insert(key)
	}
	e.value = strconv.AppendInt(e.value[:0], current, 10)
	return current, nil
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)
