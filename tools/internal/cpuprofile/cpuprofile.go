// Package cpuprofile starts and stops the CPU profile that the tools' servers write with
// their -cpuprofile flag, for `go tool pprof`.
package cpuprofile

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// Start begins recording a CPU profile into the file at path, or does nothing when path is
// empty. The returned stop ends the recording and closes the file; call it once, after the
// server has stopped.
func Start(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		// The profile never started: the empty file is of no use, and the start error is the
		// one to report.
		_ = f.Close()
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
