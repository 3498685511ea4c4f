package kvstore

import "errors"

var (
	// ErrWrongType is returned by an operation on a key that holds another kind of value
	// (a string operation on a list, say).
	ErrWrongType = errors.New("gnet: operation against a key holding the wrong kind of value")
	// ErrNotInteger is returned by IncrBy when the value is not a decimal 64-bit integer.
	ErrNotInteger = errors.New("gnet: value is not an integer or out of range")
	// ErrOverflow is returned by IncrBy when the result does not fit in 64 bits.
	ErrOverflow = errors.New("gnet: increment or decrement would overflow")
	// ErrInvalidShards is returned by New for a shard count that is not a power of two
	// between 1 and MaxShards.
	ErrInvalidShards = errors.New("gnet: shard count must be a power of two between 1 and 65536")
)
