package main

import "errors"

var (
	// errNoBackends is returned by parseConfig when -backends is missing or names nothing.
	errNoBackends = errors.New("gnet: proxy: -backends names no backend")
	// errInvalidBackend is returned by parseConfig for a -backends entry that is not host:port.
	errInvalidBackend = errors.New("gnet: proxy: invalid backend address")
	// errInvalidDuration is returned by parseConfig for a -health-interval or -dial-timeout
	// that is not positive.
	errInvalidDuration = errors.New("gnet: proxy: duration must be positive")
)
