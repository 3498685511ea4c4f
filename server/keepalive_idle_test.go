//go:build linux || freebsd || netbsd || dragonfly

package server

import "golang.org/x/sys/unix"

// keepAliveTimes reads back the keep-alive idle time and interval, in seconds.
func keepAliveTimes(fd int) (idle, interval int, ok bool, err error) {
	if idle, err = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE); err != nil {
		return 0, 0, false, err
	}
	if interval, err = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL); err != nil {
		return 0, 0, false, err
	}
	return idle, interval, true, nil
}
