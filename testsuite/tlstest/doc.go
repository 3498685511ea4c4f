// Package tlstest is the end-to-end suite of TLS on the event loop: servers started with
// server.WithTls or upgraded in place with Conn.UpgradeTls, and clients dialed with
// server.Client and server.WithTls, talking to crypto/tls peers and to openssl s_client over
// loopback sockets. Certificates are generated when the tests run (testsuite/internal/tlsutil).
package tlstest
