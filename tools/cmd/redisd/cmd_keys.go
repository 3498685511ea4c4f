package main

import (
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// DEL key [key...]: how many of the keys existed.
func (s *session) del() {
	removed := 0
	for _, key := range s.argv[1:] {
		if s.srv.store.Delete(key) {
			removed++
		}
	}
	s.integer(int64(removed))
}

// EXISTS key [key...]: how many of the keys exist, a key named twice counting twice.
func (s *session) exists() {
	found := 0
	for _, key := range s.argv[1:] {
		if s.srv.store.Exists(key) {
			found++
		}
	}
	s.integer(int64(found))
}

// EXPIRE key seconds [NX|XX|GT|LT]
func (s *session) expire() { s.expireIn("expire", 1000) }

// PEXPIRE key milliseconds [NX|XX|GT|LT]
func (s *session) pexpire() { s.expireIn("pexpire", 1) }

// expireIn gives the key an expiry argv[2] units of unit milliseconds from now, with Redis's
// checks in Redis's order: options, the number, overflow; then whether the key exists. A
// time not in the future deletes the key.
func (s *session) expireIn(name string, unit int64) {
	cond, ok := s.parseExpireOptions()
	if !ok {
		return
	}
	n, ok := resp.ParseInt(s.argv[2])
	if !ok {
		s.errorReply(errNotInteger)
		return
	}
	if n > maxInt64/unit || n < minInt64/unit {
		s.invalidExpireTime(name)
		return
	}
	n *= unit
	now := s.srv.store.Now()
	if n > maxInt64-now {
		s.invalidExpireTime(name)
		return
	}
	if s.srv.store.Expire(s.argv[1], n+now, cond) {
		s.integer(1)
	} else {
		s.integer(0)
	}
}

// parseExpireOptions reads EXPIRE's options, writing Redis's error reply and reporting false
// for an unknown or contradictory one.
func (s *session) parseExpireOptions() (kvstore.ExpireCondition, bool) {
	var cond kvstore.ExpireCondition
	for _, opt := range s.argv[3:] {
		switch {
		case isWord(opt, "nx"):
			cond |= kvstore.ExpireIfNone
		case isWord(opt, "xx"):
			cond |= kvstore.ExpireIfAny
		case isWord(opt, "gt"):
			cond |= kvstore.ExpireIfLater
		case isWord(opt, "lt"):
			cond |= kvstore.ExpireIfEarlier
		default:
			s.reply = append(s.reply, "-ERR Unsupported option "...)
			s.reply = resp.AppendSanitized(s.reply, quoted(opt, len(opt)))
			s.reply = append(s.reply, '\r', '\n')
			return cond, false
		}
	}
	if cond&kvstore.ExpireIfNone != 0 && cond != kvstore.ExpireIfNone {
		s.errorReply(errExpireNX)
		return cond, false
	}
	if cond&kvstore.ExpireIfLater != 0 && cond&kvstore.ExpireIfEarlier != 0 {
		s.errorReply(errExpireGTLT)
		return cond, false
	}
	return cond, true
}

// TTL key: seconds left, rounded to the nearest; -1 without expiry, -2 for a missing key.
func (s *session) ttl() {
	ms := s.srv.store.PTTL(s.argv[1])
	if ms >= 0 {
		ms = (ms + 500) / 1000
	}
	s.integer(ms)
}

// PTTL key: milliseconds left; -1 without expiry, -2 for a missing key.
func (s *session) pttl() { s.integer(s.srv.store.PTTL(s.argv[1])) }
