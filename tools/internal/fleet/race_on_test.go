//go:build race

package fleet

// raceEnabled reports whether the tests run under the race detector; the echo servers are
// then built with it too, so that a data race in a restart or a stop fails their exit status.
const raceEnabled = true
