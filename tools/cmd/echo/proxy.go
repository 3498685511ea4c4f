package main

import (
	"fmt"
	"time"

	"github.com/gnetio/gnet/server"
)

// proxyModes are the values of -proxy.
var proxyModes = map[string]server.ProxyMode{
	"off":      server.ProxyOff,
	"optional": server.ProxyOptional,
	"required": server.ProxyRequired,
}

// proxyOptions turns -proxy and -proxy-timeout into server options: none for "off".
func proxyOptions(mode string, timeout time.Duration) ([]server.Option, error) {
	m, ok := proxyModes[mode]
	if !ok {
		return nil, fmt.Errorf("unknown -proxy %q (want off, optional or required)", mode)
	}
	if m == server.ProxyOff {
		return nil, nil
	}
	return []server.Option{server.WithProxyProtocol(m), server.WithProxyHeaderTimeout(timeout)}, nil
}
