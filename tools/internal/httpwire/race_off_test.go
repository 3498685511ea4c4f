//go:build !race

package httpwire

// raceEnabled reports whether the race detector is on; it adds allocations of its own, so
// the allocation tests skip under it and the benchmarks carry the proof.
const raceEnabled = false
