// Package proxytest proves the server's PROXY protocol support over real sockets: servers
// started with WithProxyProtocol on loopback TCP (IPv4 and IPv6) and unix sockets, driven by
// standard-library clients that write version 1 and version 2 headers whole, in pieces, before
// TLS, malformed, cut short or too slowly. Each test's name states the behaviour it proves;
// the shared helpers are in testsuite/internal/testutil. The same headers from a real HAProxy
// are tested in tools/internal/haproxy.
package proxytest
