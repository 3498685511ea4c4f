//go:build linux && race

package poller

// raceEnabled reports whether the race detector is on; under it sync.Pool drops items at
// random, so allocation counts are meaningless.
const raceEnabled = true
