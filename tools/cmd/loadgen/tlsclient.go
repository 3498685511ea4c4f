package main

import (
	"crypto/tls"
	"net"
)

// newClientTLSConfig returns the TLS configuration of the load generator's connections to
// address. It names the server after the address's host, as tls.Dial does, so that a
// verified connection checks the certificate against it. It keeps no session cache: every
// handshake is a full one, which is what -handshakes measures.
func newClientTLSConfig(address string, insecure bool) *tls.Config {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		// A unix socket path has no port; its name is all there is to verify against.
		host = address
	}
	return &tls.Config{
		ServerName: host,
		// Only when asked for: a benchmark against a throwaway self-signed certificate has
		// nothing to verify it with.
		InsecureSkipVerify: insecure,
	}
}
