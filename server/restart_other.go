//go:build !linux

package server

import "os"

// restartSignal is nil: restarting with inherited sockets is built for Linux only, so no signal
// triggers it here.
var restartSignal os.Signal

func (s *server) restart() {}
