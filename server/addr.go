package server

import (
	"fmt"
	"strings"
)

// endpoint is a parsed "scheme://address" string.
type endpoint struct {
	network string // tcp, tcp4, tcp6, udp, udp4, udp6 or unix
	address string
}

func (e endpoint) isStream() bool {
	return e.network != "udp" && e.network != "udp4" && e.network != "udp6"
}

func (e endpoint) String() string { return e.network + "://" + e.address }

// parseEndpoint splits addr into its network and address. No scheme means tcp.
func parseEndpoint(addr string) (endpoint, error) {
	network, address := "tcp", addr
	if i := strings.Index(addr, "://"); i >= 0 {
		network, address = strings.ToLower(addr[:i]), addr[i+3:]
	}
	switch network {
	case "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6":
		if address == "" {
			return endpoint{}, fmt.Errorf("%w: %q has no host:port", ErrInvalidAddress, addr)
		}
	case "unix":
		if address == "" {
			return endpoint{}, fmt.Errorf("%w: %q has no socket path", ErrInvalidAddress, addr)
		}
	default:
		return endpoint{}, fmt.Errorf("%w: %q in %q", ErrUnsupportedNetwork, network, addr)
	}
	return endpoint{network: network, address: address}, nil
}
