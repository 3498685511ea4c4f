package main

import (
	"errors"

	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// GET key
func (s *session) get() {
	// hot path: no allocation
	found, err := s.srv.store.View(s.argv[1], s.visitor)
	switch {
	case err != nil:
		s.storeError(err)
	case !found:
		s.null()
	}
}

// SET key value [NX|XX] [EX seconds|PX milliseconds|EXAT unix-seconds|PXAT unix-ms|KEEPTTL]
func (s *session) set() {
	// hot path: no allocation
	opts, ok := s.parseSetOptions()
	if !ok {
		return
	}
	if s.srv.store.Set(s.argv[1], s.argv[2], opts) {
		s.ok()
	} else {
		s.null()
	}
}

// MGET key [key...]: nil for a key that is missing or not a string.
func (s *session) mget() {
	s.reply = resp.AppendArrayHeader(s.reply, len(s.argv)-1)
	for _, key := range s.argv[1:] {
		if found, err := s.srv.store.View(key, s.visitor); !found || err != nil {
			s.null()
		}
	}
}

// MSET key value [key value...]
func (s *session) mset() {
	if len(s.argv)%2 == 0 {
		s.wrongArity("mset")
		return
	}
	for i := 1; i < len(s.argv); i += 2 {
		s.srv.store.Set(s.argv[i], s.argv[i+1], kvstore.SetOptions{})
	}
	s.ok()
}

// INCR key
func (s *session) incr() { s.incrementBy(1) }

// DECR key
func (s *session) decr() { s.incrementBy(-1) }

// INCRBY key increment
func (s *session) incrby() {
	delta, ok := resp.ParseInt(s.argv[2])
	if !ok {
		s.errorReply(errNotInteger)
		return
	}
	s.incrementBy(delta)
}

// DECRBY key decrement
func (s *session) decrby() {
	delta, ok := resp.ParseInt(s.argv[2])
	switch {
	case !ok:
		s.errorReply(errNotInteger)
	case delta == minInt64:
		s.errorReply(errDecrOverflow)
	default:
		s.incrementBy(-delta)
	}
}

const minInt64 = -1 << 63

func (s *session) incrementBy(delta int64) {
	n, err := s.srv.store.IncrBy(s.argv[1], delta)
	if err != nil {
		s.storeError(err)
		return
	}
	s.integer(n)
}

// storeError replies with the Redis error for an error of the store.
func (s *session) storeError(err error) {
	switch {
	case errors.Is(err, kvstore.ErrWrongType):
		s.errorReply(errWrongType)
	case errors.Is(err, kvstore.ErrNotInteger):
		s.errorReply(errNotInteger)
	case errors.Is(err, kvstore.ErrOverflow):
		s.errorReply(errOverflow)
	default:
		s.errorReply("ERR " + err.Error())
	}
}
