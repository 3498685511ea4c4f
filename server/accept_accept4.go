//go:build freebsd || dragonfly

package server

import "golang.org/x/sys/unix"

// acceptConn accepts one pending connection as a non-blocking, close-on-exec socket in one
// system call.
func acceptConn(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
