package main

import (
	"github.com/gnetio/gnet/tools/internal/resp"
)

// LPUSH key element [element...]
func (s *session) lpush() { s.push(true) }

// RPUSH key element [element...]
func (s *session) rpush() { s.push(false) }

func (s *session) push(front bool) {
	n, err := s.srv.store.Push(s.argv[1], s.argv[2:], front)
	if err != nil {
		s.storeError(err)
		return
	}
	s.integer(int64(n))
}

// LPOP key [count]
func (s *session) lpop() { s.pop("lpop", true) }

// RPOP key [count]
func (s *session) rpop() { s.pop("rpop", false) }

// pop answers as Redis does: without a count, one element or nil; with one, an array, or a
// null array for a missing key.
func (s *session) pop(name string, front bool) {
	if len(s.argv) > 3 {
		s.wrongArity(name)
		return
	}
	count, hasCount := int64(1), len(s.argv) == 3
	if hasCount {
		var ok bool
		// Redis gives the same answer to a count that is not a number as to a negative one.
		if count, ok = resp.ParseInt(s.argv[2]); !ok || count < 0 {
			s.errorReply(errNotPositive)
			return
		}
	}
	popped, err := s.srv.store.Pop(s.argv[1], front, int(min(count, maxInt32)), s.popped[:0])
	s.popped = popped
	switch {
	case err != nil:
		s.storeError(err)
	case !hasCount && len(popped) == 0:
		s.null()
	case !hasCount:
		s.bulk(popped[0])
	case len(popped) == 0 && (count != 0 || !s.srv.store.Exists(s.argv[1])):
		s.reply = append(s.reply, "*-1\r\n"...)
	default:
		s.reply = resp.AppendArrayHeader(s.reply, len(popped))
		for _, elem := range popped {
			s.bulk(elem)
		}
	}
	clear(s.popped) // the elements are garbage now; the slice must not keep them alive
}

const maxInt32 = 1<<31 - 1

// LLEN key
func (s *session) llen() {
	n, err := s.srv.store.ListLen(s.argv[1])
	if err != nil {
		s.storeError(err)
		return
	}
	s.integer(int64(n))
}

// LRANGE key start stop
func (s *session) lrange() {
	start, ok := resp.ParseInt(s.argv[2])
	stop, ok2 := resp.ParseInt(s.argv[3])
	if !ok || !ok2 {
		s.errorReply(errNotInteger)
		return
	}
	visited := false
	n, err := s.srv.store.Range(s.argv[1], start, stop, func(n int, elem []byte) {
		if !visited {
			s.reply = resp.AppendArrayHeader(s.reply, n)
			visited = true
		}
		s.bulk(elem)
	})
	switch {
	case err != nil:
		s.storeError(err)
	case n == 0:
		s.reply = resp.AppendArrayHeader(s.reply, 0)
	}
}
