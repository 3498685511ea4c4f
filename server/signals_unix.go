package server

import (
	"os"
	"syscall"
)

// gracefulStopSignals stop a graceful server.
var gracefulStopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM}
