package kvstore

import "time"

// DefaultShards is the number of shards New makes unless WithShards says otherwise.
const DefaultShards = 256

// MaxShards is the most shards a store may have.
const MaxShards = 1 << 16

// Option configures a Store at New.
type Option func(*config)

type config struct {
	shards int
	clock  func() time.Time
}

// WithShards sets the number of shards: a power of two from 1 to MaxShards (default
// DefaultShards). More shards mean less waiting between loops that write, at a small cost in
// memory per store.
func WithShards(n int) Option { return func(c *config) { c.shards = n } }

// WithClock replaces time.Now as the store's clock, for tests that move time by hand. now
// must be safe for concurrent use.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }
