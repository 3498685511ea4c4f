package server

import (
	"os"
	"syscall"
)

// stopSignals stop a graceful server.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM}
