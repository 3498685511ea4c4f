//go:build race

package main

// raceEnabled reports whether the race detector is on; it adds allocations of its own, so
// the allocation test skips under it and the benchmarks carry the proof.
const raceEnabled = true
