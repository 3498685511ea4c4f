package kvstore

import (
	"hash/maphash"
	"sync"
	"time"
)

// Store is a sharded in-memory keyspace. Make one with New; all its methods are safe for
// concurrent use.
type Store struct {
	shards []shard
	mask   uint64
	seed   maphash.Seed
	clock  func() time.Time
}

// shard is one lock's worth of keys. Padding keeps two shards' locks off one cache line, so
// that loops writing to different shards do not slow each other down.
type shard struct {
	mu sync.Mutex
	// items holds every key of the shard, expired ones included until they are removed.
	items map[string]*entry
	// volatile holds the keys that have a time to live, for the expiry cycle to sample.
	volatile map[string]*entry
	_        [40]byte
}

// New returns an empty store, or ErrInvalidShards for a bad WithShards.
func New(opts ...Option) (*Store, error) {
	cfg := config{shards: DefaultShards, clock: time.Now}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.shards < 1 || cfg.shards > MaxShards || cfg.shards&(cfg.shards-1) != 0 {
		return nil, ErrInvalidShards
	}
	s := &Store{
		shards: make([]shard, cfg.shards),
		mask:   uint64(cfg.shards - 1),
		seed:   maphash.MakeSeed(),
		clock:  cfg.clock,
	}
	for i := range s.shards {
		s.shards[i].items = make(map[string]*entry)
		s.shards[i].volatile = make(map[string]*entry)
	}
	return s, nil
}

// Now returns the store's clock reading in Unix milliseconds: the time base of ExpireAt,
// Expire and PTTL.
func (s *Store) Now() int64 { return s.clock().UnixMilli() }

// Len returns the number of keys, counting expired keys that have not been removed yet (as
// Redis's DBSIZE does).
func (s *Store) Len() int {
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		total += len(sh.items)
		sh.mu.Unlock()
	}
	return total
}

// Flush removes every key.
func (s *Store) Flush() {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.items = make(map[string]*entry)
		sh.volatile = make(map[string]*entry)
		sh.mu.Unlock()
	}
}

// shardOf returns the shard that holds key.
func (s *Store) shardOf(key []byte) *shard {
	// hot path: no allocation
	return &s.shards[maphash.Bytes(s.seed, key)&s.mask]
}

// liveLocked returns key's entry, or nil when it is missing or expired; an expired one is
// removed. The caller holds the shard's lock.
func (s *Store) liveLocked(sh *shard, key []byte) *entry {
	// hot path: no allocation
	e := sh.items[string(key)]
	if e != nil && e.expireAt != 0 && e.expiredAt(s.Now()) {
		sh.remove(e)
		return nil
	}
	return e
}

// insert files a new entry for key. The caller holds the shard's lock and knows key is absent.
func (sh *shard) insert(key []byte) *entry {
	e := &entry{key: string(key)}
	sh.items[e.key] = e
	return e
}

// remove deletes e's key. The caller holds the shard's lock.
func (sh *shard) remove(e *entry) {
	delete(sh.items, e.key)
	if e.expireAt != 0 {
		delete(sh.volatile, e.key)
	}
}

// setExpiry gives e the expiry at (0: none), keeping the volatile index in step. The caller
// holds the shard's lock.
func (sh *shard) setExpiry(e *entry, at int64) {
	switch {
	case at != 0 && e.expireAt == 0:
		sh.volatile[e.key] = e
	case at == 0 && e.expireAt != 0:
		delete(sh.volatile, e.key)
	}
	e.expireAt = at
}
