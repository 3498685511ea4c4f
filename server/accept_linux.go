//go:build linux

package server

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api/sysfault"
)

// acceptConn accepts one pending connection as a non-blocking, close-on-exec socket in one
// system call. It reads the peer's address into a buffer on the stack and allocates only the
// Sockaddr it returns: unix.Accept4 also leaves its 112-byte address buffer and more to the
// garbage collector at every accept, which under an accept storm is most of what the heap
// grows by between collections. The listener is non-blocking, so the call is a raw one, which
// the scheduler need not hear about.
func acceptConn(fd int) (int, unix.Sockaddr, error) {
	// hot path: one allocation, the returned address
	if sysfault.Enabled {
		if err := injectedErr(sysfault.OpAccept, fd); err != nil {
			return -1, nil, err
		}
	}
	var rsa unix.RawSockaddrAny
	size := uint32(unix.SizeofSockaddrAny)
	nfd, _, errno := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(fd),
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&size)),
		unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, nil, errno
	}
	sa, err := peerSockaddr(&rsa)
	if err != nil {
		// A family no listener of ours accepts; unix.Accept4 fails the same way.
		_ = unix.Close(int(nfd))
		return -1, nil, err
	}
	return int(nfd), sa, nil
}

// peerSockaddr converts an accepted peer's address in rsa, as unix.Accept4 would: IPv4, IPv6
// and unix sockets, what the listeners of this package accept. Any other family is
// unix.EAFNOSUPPORT.
func peerSockaddr(rsa *unix.RawSockaddrAny) (unix.Sockaddr, error) {
	switch rsa.Addr.Family {
	case unix.AF_INET:
		pp := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet4{Port: networkPort(&pp.Port), Addr: pp.Addr}, nil
	case unix.AF_INET6:
		pp := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		return &unix.SockaddrInet6{Port: networkPort(&pp.Port), ZoneId: pp.Scope_id, Addr: pp.Addr}, nil
	case unix.AF_UNIX:
		pp := (*unix.RawSockaddrUnix)(unsafe.Pointer(rsa))
		return &unix.SockaddrUnix{Name: unixPeerName(pp)}, nil
	default:
		return nil, unix.EAFNOSUPPORT
	}
}

// networkPort reads a port stored in network byte order.
func networkPort(p *uint16) int {
	b := (*[2]byte)(unsafe.Pointer(p))
	return int(b[0])<<8 | int(b[1])
}

// unixPeerName is the name of a unix socket address the way golang.org/x/sys reports it: the
// path up to its NUL; for the abstract namespace (a leading NUL) "@" and the name, which makes
// an unnamed peer, the usual client, "@".
func unixPeerName(pp *unix.RawSockaddrUnix) string {
	path := unsafe.Slice((*byte)(unsafe.Pointer(&pp.Path[0])), len(pp.Path))
	if path[0] == 0 {
		end := 1
		for end < len(path) && path[end] != 0 {
			end++
		}
		return "@" + string(path[1:end])
	}
	for i, b := range path {
		if b == 0 {
			return string(path[:i])
		}
	}
	return string(path)
}
