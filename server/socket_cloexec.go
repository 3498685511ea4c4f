//go:build linux || freebsd || netbsd || openbsd || dragonfly

package server

import "golang.org/x/sys/unix"

// sysSocket opens a non-blocking, close-on-exec socket in one system call, so that no child
// process started concurrently can inherit it.
func sysSocket(family, sotype, proto int) (int, error) {
	return unix.Socket(family, sotype|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
}
