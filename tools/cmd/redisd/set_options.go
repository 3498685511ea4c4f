package main

import (
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// SET's options, as flags, to apply Redis's rules about which may be combined.
const (
	setNX = 1 << iota
	setXX
	setKeepTTL
	setEX
	setPX
	setEXAT
	setPXAT
	setAnyExpiry = setEX | setPX | setEXAT | setPXAT
)

// parseSetOptions reads SET's options after the key and the value, with Redis's rules and
// error replies: options may repeat, NX excludes XX, one kind of expiry at most, which
// excludes KEEPTTL; a repeated expiry of the same kind takes the last value. It writes the
// error reply and reports false when they are wrong.
func (s *session) parseSetOptions() (kvstore.SetOptions, bool) {
	// hot path: no allocation
	var opts kvstore.SetOptions
	flags := 0
	var expiry []byte
	for i := 3; i < len(s.argv); i++ {
		opt := s.argv[i]
		hasNext := i+1 < len(s.argv)
		switch {
		case isWord(opt, "nx") && flags&setXX == 0:
			flags |= setNX
		case isWord(opt, "xx") && flags&setNX == 0:
			flags |= setXX
		case isWord(opt, "keepttl") && flags&setAnyExpiry == 0:
			flags |= setKeepTTL
		case isWord(opt, "ex") && flags&(setKeepTTL|setAnyExpiry&^setEX) == 0 && hasNext:
			flags |= setEX
			i++
			expiry = s.argv[i]
		case isWord(opt, "px") && flags&(setKeepTTL|setAnyExpiry&^setPX) == 0 && hasNext:
			flags |= setPX
			i++
			expiry = s.argv[i]
		case isWord(opt, "exat") && flags&(setKeepTTL|setAnyExpiry&^setEXAT) == 0 && hasNext:
			flags |= setEXAT
			i++
			expiry = s.argv[i]
		case isWord(opt, "pxat") && flags&(setKeepTTL|setAnyExpiry&^setPXAT) == 0 && hasNext:
			flags |= setPXAT
			i++
			expiry = s.argv[i]
		default:
			s.errorReply(errSyntax)
			return opts, false
		}
	}
	switch {
	case flags&setNX != 0:
		opts.Condition = kvstore.IfAbsent
	case flags&setXX != 0:
		opts.Condition = kvstore.IfPresent
	}
	opts.KeepTTL = flags&setKeepTTL != 0
	if flags&setAnyExpiry == 0 {
		return opts, true
	}
	at, ok := s.expiryTime(expiry, flags&(setEX|setEXAT) != 0, flags&(setEX|setPX) != 0)
	if !ok {
		return opts, false
	}
	opts.ExpireAt = at
	return opts, true
}

// expiryTime turns SET's expiry argument into a Unix millisecond time, as Redis does: a
// positive integer, in seconds or milliseconds, relative to now or absolute, that does not
// overflow. It writes the error reply and reports false otherwise.
func (s *session) expiryTime(arg []byte, inSeconds, relative bool) (int64, bool) {
	n, ok := resp.ParseInt(arg)
	if !ok {
		s.errorReply(errNotInteger)
		return 0, false
	}
	if n <= 0 || (inSeconds && n > maxInt64/1000) {
		s.invalidExpireTime("set")
		return 0, false
	}
	if inSeconds {
		n *= 1000
	}
	if relative {
		// Overflow wraps to a negative time, which the check below catches, as in Redis.
		n += s.srv.store.Now()
	}
	if n <= 0 {
		s.invalidExpireTime("set")
		return 0, false
	}
	return n, true
}

const maxInt64 = 1<<63 - 1
