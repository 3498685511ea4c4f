//go:build linux || freebsd || netbsd || dragonfly

package server

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// setKeepAlive enables keep-alive probes after period of idleness, repeated every period.
func setKeepAlive(fd int, period time.Duration) error {
	secs := max(int(period/time.Second), 1)
	if err := setConnSockopt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE, 1); err != nil {
		return os.NewSyscallError("setsockopt SO_KEEPALIVE", err)
	}
	if err := setConnSockopt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, secs); err != nil {
		return os.NewSyscallError("setsockopt TCP_KEEPIDLE", err)
	}
	if err := setConnSockopt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, secs); err != nil {
		return os.NewSyscallError("setsockopt TCP_KEEPINTVL", err)
	}
	return nil
}
