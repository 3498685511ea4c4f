//go:build openbsd

package server

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// setKeepAlive enables keep-alive probes. OpenBSD has no per-socket idle time or interval:
// the system-wide net.inet.tcp.keepidle and keepintvl apply, and period is not used.
func setKeepAlive(fd int, _ time.Duration) error {
	if err := setConnSockopt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1); err != nil {
		return os.NewSyscallError("setsockopt SO_KEEPALIVE", err)
	}
	return nil
}
