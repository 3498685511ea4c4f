package tlsutil

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"testing"
)

// ServerName is the name a Fixture's client configuration expects the server to prove.
const ServerName = "localhost"

// loopbackHosts are the names and addresses a Fixture's server certificate is valid for, so
// that a client may dial 127.0.0.1, [::1] or localhost and verify either way.
var loopbackHosts = []string{ServerName, "127.0.0.1", "::1"}

// Fixture is what most TLS tests need: one authority, a server certificate for the loopback
// names and a client certificate, all signed by it.
type Fixture struct {
	// CA signed both certificates.
	CA *Authority
	// Server is valid for localhost, 127.0.0.1 and ::1.
	Server tls.Certificate
	// Client is named "client", for servers that require client certificates.
	Client tls.Certificate
}

// NewFixture generates a fresh Fixture, failing t if it cannot. Call it from the test's
// goroutine.
func NewFixture(t testing.TB) *Fixture {
	t.Helper()
	ca, err := NewAuthority("gnet test CA")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ca.IssueServer(loopbackHosts...)
	if err != nil {
		t.Fatal(err)
	}
	client, err := ca.IssueClient("client")
	if err != nil {
		t.Fatal(err)
	}
	return &Fixture{CA: ca, Server: srv, Client: client}
}

// ServerConfig returns a new server configuration presenting the server certificate; the
// caller may change it freely.
func (f *Fixture) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{f.Server}}
}

// ClientConfig returns a new client configuration that trusts only the fixture's authority
// and expects ServerName; the caller may change it freely.
func (f *Fixture) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: f.CA.Pool, ServerName: ServerName}
}

// WriteCAFile writes the authority's certificate in PEM form into a temporary folder of t
// and returns its path. The file is removed when the test ends.
func (f *Fixture) WriteCAFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, f.CA.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
