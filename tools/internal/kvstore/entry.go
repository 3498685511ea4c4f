package kvstore

// kind is what a key holds.
type kind uint8

const (
	kindString kind = iota
	kindList
)

// entry is one key's value. Its fields are guarded by the lock of the shard holding it.
type entry struct {
	// key is the map key, kept so that the entry can be filed under it elsewhere (or deleted)
	// without converting the caller's bytes again.
	key  string
	kind kind
	// value is a string's bytes.
	value []byte
	// list is a list's elements.
	list list
	// expireAt is when the key expires, in Unix milliseconds; 0 means never.
	expireAt int64
}

// expiredAt reports whether the entry has expired at now. A key lives through the
// millisecond it expires at, as in Redis.
func (e *entry) expiredAt(now int64) bool {
	return e.expireAt != 0 && now > e.expireAt
}

// setString makes the entry the string value, reusing its memory when it fits without
// wasting much.
func (e *entry) setString(value []byte) {
	// hot path: no allocation when the old value's memory fits the new one
	e.kind = kindString
	e.list = list{}
	e.value = copyInto(e.value, value)
}

// copyInto returns a copy of src, in dst's memory when it fits and is at most about twice
// as large (so a key overwritten with a small value does not keep a large array alive).
func copyInto(dst, src []byte) []byte {
	if cap(dst) >= len(src) && cap(dst) <= 2*len(src)+32 {
		return append(dst[:0], src...)
	}
	return append(make([]byte, 0, len(src)), src...)
}
