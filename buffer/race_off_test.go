//go:build !race

package buffer

// raceDetectorOn is false in ordinary builds; see race_on_test.go.
const raceDetectorOn = false
