// Package kvstore is the in-memory keyspace behind tools/cmd/redisd: Redis strings with
// expiry, shared by every event loop of the server.
//
// The keys are spread over shards, each a map behind its own mutex, so loops that touch
// different keys rarely wait for each other. The lock is a plain mutex, not a read-write one:
// every operation holds it for a map lookup and a copy, too briefly for readers to gain from
// sharing it, and a plain mutex costs half the atomic instructions of a read-write one to
// write under (two instead of four), which is what an uncontended operation pays. Values are
// copied in on write; reads hand the stored bytes to a function of the caller's while the
// shard's lock is held, so a reply can be built from them without a copy made for the purpose
// and without an allocation.
//
// Keys expire the way they do in Redis: lazily, when an operation finds one past its time (it
// is then gone for that operation and removed), and actively, through ExpireCycle, which a
// server calls periodically to sample keys with a time to live and remove the expired ones.
// Times are Unix milliseconds from a clock that tests can replace (WithClock).
//
// Every method is safe for concurrent use. Each is atomic on its own key; operations on
// several keys (a caller's MSET or DEL of many keys) are not atomic as a whole.
package kvstore
