//go:build race

package buffer

// raceDetectorOn tells allocation tests to skip checks the race detector defeats: it makes
// sync.Pool drop a share of the values put into it, so pooled paths allocate on purpose.
const raceDetectorOn = true
