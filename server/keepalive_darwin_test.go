//go:build darwin

package server

import "golang.org/x/sys/unix"

// keepAliveTimes reads back the keep-alive idle time (TCP_KEEPALIVE on Darwin) and interval,
// in seconds.
func keepAliveTimes(fd int) (idle, interval int, ok bool, err error) {
	if idle, err = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPALIVE); err != nil {
		return 0, 0, false, err
	}
	if interval, err = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL); err != nil {
		return 0, 0, false, err
	}
	return idle, interval, true, nil
}
