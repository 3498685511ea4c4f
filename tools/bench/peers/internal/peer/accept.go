package peer

import (
	"errors"
	"net"
	"os"
	"syscall"
	"time"
)

// acceptPause is how long Serve waits after a temporary accept failure (typically EMFILE:
// out of descriptors) before trying again, rather than spinning.
const acceptPause = 10 * time.Millisecond

// Serve accepts connections on ln and runs handle on a goroutine of its own for each, until
// accepting fails for good, and returns that error. handle owns the connection and closes
// it. Temporary failures, a timeout or no file descriptor left, only pause the loop: they
// clear as soon as a connection closes, as they do while thousands of idle connections are
// open. The caller keeps ln and closes it.
func Serve(ln net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if isTemporary(err) {
				time.Sleep(acceptPause)
				continue
			}
			return err
		}
		go handle(conn)
	}
}

// isTemporary reports accept errors that pass on their own.
func isTemporary(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
