//go:build race

package gracefultest

// raceEnabled reports whether the tests run under the race detector; the child server is then
// built with it too, so that a data race in the stop or restart path fails its exit status.
const raceEnabled = true
