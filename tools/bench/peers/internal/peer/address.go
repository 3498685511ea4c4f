package peer

import "strings"

// SplitAddress splits the scheme://address form every benchmark server takes into the
// network and address net.Listen wants; a bare host:port is TCP. Any goroutine may call it.
func SplitAddress(addr string) (network, address string) {
	if scheme, rest, ok := strings.Cut(addr, "://"); ok {
		return scheme, rest
	}
	return "tcp", addr
}
