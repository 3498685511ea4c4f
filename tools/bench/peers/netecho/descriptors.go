package main

import (
	"errors"
	"syscall"
)

// isOutOfDescriptors reports the accept failures that mean the process or the system has no
// file descriptor left; they clear as soon as a connection closes.
func isOutOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
