package main

import (
	"os"
	"syscall"
	"time"
)

// processCPUTime returns the user + system CPU time this process has used so far. The report
// carries the load generator's own share of the measured window, so a reader can tell
// whether the client rather than the server limited the run.
func processCPUTime() (time.Duration, error) {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0, os.NewSyscallError("getrusage", err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()), nil
}
