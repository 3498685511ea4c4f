package kvstore

// Push adds copies of values to the list at key, one after the other, at the front (LPUSH,
// so the last value ends up first) or at the back (RPUSH), creating the list when the key
// does not exist. It returns the list's new length, or ErrWrongType for a string key.
func (s *Store) Push(key []byte, values [][]byte, front bool) (int, error) {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if e != nil && e.kind != kindList {
		sh.mu.Unlock()
		return 0, ErrWrongType
	}
	if e == nil {
		e = sh.insert(key)
		e.kind = kindList
	}
	for _, v := range values {
		elem := append([]byte(nil), v...)
		if front {
			e.list.pushFront(elem)
		} else {
			e.list.pushBack(elem)
		}
	}
	n := e.list.len()
	sh.mu.Unlock()
	return n, nil
}

// Pop removes up to count elements from the front (LPOP) or the back (RPOP) of the list at
// key, appends them to dst in the order removed, and returns dst. The elements are the
// caller's from then on. A list left empty is deleted, as Redis deletes empty lists. It
// returns ErrWrongType for a string key, and dst unchanged for a missing one.
func (s *Store) Pop(key []byte, front bool, count int, dst [][]byte) ([][]byte, error) {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if e == nil {
		sh.mu.Unlock()
		return dst, nil
	}
	if e.kind != kindList {
		sh.mu.Unlock()
		return dst, ErrWrongType
	}
	for range min(count, e.list.len()) {
		if front {
			dst = append(dst, e.list.popFront())
		} else {
			dst = append(dst, e.list.popBack())
		}
	}
	if e.list.len() == 0 {
		sh.remove(e)
	}
	sh.mu.Unlock()
	return dst, nil
}

// ListLen returns the length of the list at key, 0 for a missing key, or ErrWrongType for a
// string key.
func (s *Store) ListLen(key []byte) (int, error) {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	n, err := 0, error(nil)
	switch {
	case e == nil:
	case e.kind != kindList:
		err = ErrWrongType
	default:
		n = e.list.len()
	}
	sh.mu.Unlock()
	return n, err
}

// Range calls visit for the elements of the list at key from index start to index stop, both
// included, in order, under the shard's lock; negative indexes count from the end (-1 is
// the last element), and out-of-range ones are clamped, as in LRANGE. visit receives how many
// elements it will be called for in all, and one element, which it must not keep. Range
// returns that count (0 for a missing key or an empty range), or ErrWrongType for a string
// key.
func (s *Store) Range(key []byte, start, stop int64, visit func(n int, elem []byte)) (int, error) {
	sh := s.shardOf(key)
	sh.mu.Lock()
	e := s.liveLocked(sh, key)
	if e == nil || e.kind != kindList {
		sh.mu.Unlock()
		if e != nil {
			return 0, ErrWrongType
		}
		return 0, nil
	}
	first, last := clampRange(start, stop, int64(e.list.len()))
	n := int(last - first + 1)
	for i := first; i <= last; i++ {
		visit(n, e.list.at(int(i)))
	}
	sh.mu.Unlock()
	return max(n, 0), nil
}

// clampRange turns LRANGE's start and stop into indexes within a list of length size; last <
// first when the range is empty.
func clampRange(start, stop, size int64) (first, last int64) {
	if start < 0 {
		start += size
	}
	if stop < 0 {
		stop += size
	}
	start = max(start, 0)
	stop = min(stop, size-1)
	return start, stop
}
