package main

import (
	"fmt"
	"net"
	"strings"
)

// splitAddress turns an -addr value into the network and address net.Dial expects. A bare
// host:port means TCP, so the same value works for our servers and for tools that take
// plain addresses; udp:// (udp4://, udp6://) selects the datagram load.
func splitAddress(addr string) (network, address string, err error) {
	scheme, rest, hasScheme := strings.Cut(addr, "://")
	if !hasScheme {
		scheme, rest = "tcp", addr
	}
	switch scheme {
	case "unix":
		if rest == "" {
			return "", "", fmt.Errorf("%w: %q has no socket path", ErrBadAddress, addr)
		}
		return "unix", rest, nil
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
		if _, _, err := net.SplitHostPort(rest); err != nil {
			return "", "", fmt.Errorf("%w: %q: %w", ErrBadAddress, addr, err)
		}
		return scheme, rest, nil
	default:
		return "", "", fmt.Errorf("%w: %q has unknown scheme %q", ErrBadAddress, addr, scheme)
	}
}
