package tlsutil

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssuedCertificatesVerifyOnlyAgainstTheirOwnAuthority(t *testing.T) {
	fixture := NewFixture(t)
	foreign, err := NewAuthority("foreign CA")
	require.NoError(t, err)

	tests := []struct {
		name    string
		roots   *x509.CertPool
		leaf    *x509.Certificate
		usage   x509.ExtKeyUsage
		dnsName string
		wantErr bool
	}{
		{name: "server certificate for localhost", roots: fixture.CA.Pool, leaf: fixture.Server.Leaf,
			usage: x509.ExtKeyUsageServerAuth, dnsName: "localhost"},
		{name: "server certificate for the IPv4 loopback", roots: fixture.CA.Pool, leaf: fixture.Server.Leaf,
			usage: x509.ExtKeyUsageServerAuth, dnsName: "127.0.0.1"},
		{name: "server certificate for the IPv6 loopback", roots: fixture.CA.Pool, leaf: fixture.Server.Leaf,
			usage: x509.ExtKeyUsageServerAuth, dnsName: "::1"},
		{name: "server certificate for another name", roots: fixture.CA.Pool, leaf: fixture.Server.Leaf,
			usage: x509.ExtKeyUsageServerAuth, dnsName: "example.com", wantErr: true},
		{name: "client certificate", roots: fixture.CA.Pool, leaf: fixture.Client.Leaf,
			usage: x509.ExtKeyUsageClientAuth},
		{name: "client certificate used as a server's", roots: fixture.CA.Pool, leaf: fixture.Client.Leaf,
			usage: x509.ExtKeyUsageServerAuth, wantErr: true},
		{name: "server certificate under a foreign authority", roots: foreign.Pool, leaf: fixture.Server.Leaf,
			usage: x509.ExtKeyUsageServerAuth, dnsName: "localhost", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.leaf.Verify(x509.VerifyOptions{
				Roots:     tt.roots,
				DNSName:   tt.dnsName,
				KeyUsages: []x509.ExtKeyUsage{tt.usage},
			})
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestIssueServerWithoutHostsFails(t *testing.T) {
	ca, err := NewAuthority("test CA")
	require.NoError(t, err)
	_, err = ca.IssueServer()
	assert.ErrorIs(t, err, ErrNoHosts)
}

func TestWriteCAFileWritesTheAuthorityAsPEM(t *testing.T) {
	fixture := NewFixture(t)
	data, err := os.ReadFile(fixture.WriteCAFile(t))
	require.NoError(t, err)
	block, rest := pem.Decode(data)
	require.NotNil(t, block)
	assert.Empty(t, rest)
	assert.Equal(t, "CERTIFICATE", block.Type)
	assert.Equal(t, fixture.CA.Certificate.Raw, block.Bytes)
}
