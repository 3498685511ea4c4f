package server

import (
	"errors"
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// listenBacklog is the accept queue length asked for; the kernel caps it at its own maximum
// (net.core.somaxconn on Linux, kern.ipc.somaxconn on the BSDs).
const listenBacklog = 4096

// listener is one bound socket: a listening stream socket or a bound datagram socket.
type listener struct {
	fd       int
	ep       endpoint
	addr     net.Addr
	unixPath string // the socket file to remove at shutdown, for unix listeners
	// accepted is what register sets on each connection accepted here (TCP listeners).
	accepted streamOptions
	// udp is a datagram socket's state, made by the loop that reads it (udp_read.go).
	udp *udpSocket
	// unwatched is set while accepting is paused and the listener is out of the poller
	// (accept.go); a listener is registered when its loop starts.
	unwatched bool
}

// close releases the socket and, for a unix listener, removes its file.
func (ln *listener) close() error {
	err := unix.Close(ln.fd)
	if ln.unixPath != "" {
		if rmErr := os.Remove(ln.unixPath); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
	}
	if err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}

// listen opens, binds and (for stream sockets) listens on ep, non-blocking and close-on-exec.
func listen(ep endpoint, reusePort bool) (*listener, error) {
	if ep.network == "unix" {
		return listenUnix(ep)
	}
	sa, family, err := resolveInet(ep)
	if err != nil {
		return nil, err
	}
	sotype := unix.SOCK_STREAM
	if !ep.isStream() {
		sotype = unix.SOCK_DGRAM
	}
	fd, err := sysSocket(family, sotype, 0)
	if err != nil {
		return nil, fmt.Errorf("gnet: listen %s: %w", ep, os.NewSyscallError("socket", err))
	}
	ln := &listener{fd: fd, ep: ep}
	if err := ln.bindInet(sa, family, reusePort); err != nil {
		_ = unix.Close(fd) // the bind error is the one worth reporting
		return nil, fmt.Errorf("gnet: listen %s: %w", ep, err)
	}
	return ln, nil
}

func (ln *listener) bindInet(sa unix.Sockaddr, family int, reusePort bool) error {
	if err := unix.SetsockoptInt(ln.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return os.NewSyscallError("setsockopt SO_REUSEADDR", err)
	}
	if reusePort {
		if err := unix.SetsockoptInt(ln.fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
			return os.NewSyscallError("setsockopt SO_REUSEPORT", err)
		}
	}
	if family == unix.AF_INET6 {
		// "tcp"/"udp" with no host serve both families on one dual-stack socket; "tcp6"
		// and an explicit IPv6 host serve IPv6 only.
		v6only := 1
		if ln.ep.network == "tcp" || ln.ep.network == "udp" {
			v6only = 0
		}
		if err := unix.SetsockoptInt(ln.fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only); err != nil {
			return os.NewSyscallError("setsockopt IPV6_V6ONLY", err)
		}
	}
	if err := unix.Bind(ln.fd, sa); err != nil {
		return os.NewSyscallError("bind", err)
	}
	if ln.ep.isStream() {
		if err := unix.Listen(ln.fd, listenBacklog); err != nil {
			return os.NewSyscallError("listen", err)
		}
	}
	bound, err := unix.Getsockname(ln.fd)
	if err != nil {
		return os.NewSyscallError("getsockname", err)
	}
	ln.addr = sockaddrToAddr(bound, ln.ep.isStream())
	return nil
}

// resolveInet turns an inet endpoint into a socket address and the family to open it with.
func resolveInet(ep endpoint) (unix.Sockaddr, int, error) {
	var ip net.IP
	var port int
	var zone string
	if ep.isStream() {
		a, err := net.ResolveTCPAddr(ep.network, ep.address)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %s: %w", ErrInvalidAddress, ep, err)
		}
		ip, port, zone = a.IP, a.Port, a.Zone
	} else {
		a, err := net.ResolveUDPAddr(ep.network, ep.address)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %s: %w", ErrInvalidAddress, ep, err)
		}
		ip, port, zone = a.IP, a.Port, a.Zone
	}
	v4only := ep.network == "tcp4" || ep.network == "udp4"
	if ip4 := ip.To4(); v4only || (ip4 != nil && ep.network != "tcp6" && ep.network != "udp6") {
		sa := &unix.SockaddrInet4{Port: port}
		if ip4 != nil {
			copy(sa.Addr[:], ip4)
		}
		return sa, unix.AF_INET, nil
	}
	sa := &unix.SockaddrInet6{Port: port}
	if ip != nil {
		copy(sa.Addr[:], ip.To16())
	}
	if zone != "" {
		ifi, err := net.InterfaceByName(zone)
		if err != nil {
			return nil, 0, fmt.Errorf("%w: %s: zone: %w", ErrInvalidAddress, ep, err)
		}
		sa.ZoneId = uint32(ifi.Index)
	}
	return sa, unix.AF_INET6, nil
}

// listenUnix binds a unix stream socket. A socket file left behind by a process that is gone
// (nobody accepts on it) is replaced; a live one is reported as in use.
func listenUnix(ep endpoint) (*listener, error) {
	if _, err := os.Stat(ep.address); err == nil {
		if c, dialErr := net.Dial("unix", ep.address); dialErr == nil {
			_ = c.Close() // only probing whether someone serves there
			return nil, fmt.Errorf("gnet: listen %s: %w", ep, os.NewSyscallError("bind", unix.EADDRINUSE))
		}
		if err := os.Remove(ep.address); err != nil {
			return nil, fmt.Errorf("gnet: listen %s: removing stale socket: %w", ep, err)
		}
	}
	fd, err := sysSocket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, fmt.Errorf("gnet: listen %s: %w", ep, os.NewSyscallError("socket", err))
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: ep.address}); err != nil {
		_ = unix.Close(fd) // the bind error is the one worth reporting
		return nil, fmt.Errorf("gnet: listen %s: %w", ep, os.NewSyscallError("bind", err))
	}
	ln := &listener{fd: fd, ep: ep, addr: &net.UnixAddr{Name: ep.address, Net: "unix"}, unixPath: ep.address}
	if err := unix.Listen(fd, listenBacklog); err != nil {
		_ = ln.close() // the listen error is the one worth reporting
		return nil, fmt.Errorf("gnet: listen %s: %w", ep, os.NewSyscallError("listen", err))
	}
	return ln, nil
}

// sockaddrToAddr converts a socket address into the net.Addr a handler sees.
func sockaddrToAddr(sa unix.Sockaddr, stream bool) net.Addr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		ip := net.IPv4(a.Addr[0], a.Addr[1], a.Addr[2], a.Addr[3])
		if stream {
			return &net.TCPAddr{IP: ip, Port: a.Port}
		}
		return &net.UDPAddr{IP: ip, Port: a.Port}
	case *unix.SockaddrInet6:
		ip := make(net.IP, net.IPv6len)
		copy(ip, a.Addr[:])
		zone := zoneName(a.ZoneId)
		if stream {
			return &net.TCPAddr{IP: ip, Port: a.Port, Zone: zone}
		}
		return &net.UDPAddr{IP: ip, Port: a.Port, Zone: zone}
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	}
	return nil
}

// zoneName is the name of the interface an IPv6 scope names, as net.Addr values carry it;
// "" for none, or for an interface that is gone.
func zoneName(index uint32) string {
	if index == 0 {
		return ""
	}
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return ""
}

// streamOptions says which of the TCP options a socket still needs set on it.
type streamOptions uint8

const (
	// optNoDelay: TCP_NODELAY, when the configuration asks for it.
	optNoDelay streamOptions = 1 << iota
	// optKeepAlive: the keep-alive probes, when the configuration asks for them.
	optKeepAlive

	allStreamOptions = optNoDelay | optKeepAlive
)

// prepareAcceptedOptions sets on a TCP listener the options its accepted connections inherit,
// where the kernel passes them on, and records the rest for register to set on each. Linux
// copies TCP_NODELAY from the listening socket to the sockets accept returns, which saves a
// system call per connection; elsewhere, or when the listener refuses it, each connection gets
// it set as before.
func (ln *listener) prepareAcceptedOptions(cfg *config) {
	ln.accepted = allStreamOptions
	if cfg.TCPNoDelay && listenerPassesNoDelay {
		if err := unix.SetsockoptInt(ln.fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err == nil {
			ln.accepted &^= optNoDelay
		}
	}
}

// setStreamOptions applies the TCP options to an accepted or dialed TCP socket.
func setStreamOptions(fd int, cfg *config) error {
	return setSomeStreamOptions(fd, cfg, allStreamOptions)
}

// setSomeStreamOptions applies those of the configured TCP options that which names.
func setSomeStreamOptions(fd int, cfg *config, which streamOptions) error {
	if cfg.TCPNoDelay && which&optNoDelay != 0 {
		if err := setConnSockopt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
			return os.NewSyscallError("setsockopt TCP_NODELAY", err)
		}
	}
	if cfg.TCPKeepAlive > 0 && which&optKeepAlive != 0 {
		if err := setKeepAlive(fd, cfg.TCPKeepAlive); err != nil {
			return err
		}
	}
	return nil
}
