// Package tlsutil makes throwaway X.509 material for the TLS tests: a certificate authority
// and the certificates it signs, generated in memory with crypto/x509 when a test runs, so
// that no key is ever checked in.
//
// Keys are ECDSA P-256: generating and using them is cheap enough for a test that opens a
// thousand TLS connections under the race detector.
package tlsutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// validity is how long issued certificates are valid around the moment they are made. The
// hour before now absorbs clock skew between the test and the certificate's checks.
const (
	validFrom = -time.Hour
	validFor  = 24 * time.Hour
)

// Authority is a self-signed certificate authority held in memory. Its fields are set by
// NewAuthority and must not be changed; an Authority is safe for concurrent use.
type Authority struct {
	// Certificate is the authority's own certificate.
	Certificate *x509.Certificate
	// CertPEM is Certificate in PEM form, for tools that read a CA file (openssl -CAfile).
	CertPEM []byte
	// Pool holds only Certificate: use it as tls.Config.RootCAs on clients and ClientCAs on
	// servers that verify client certificates.
	Pool *x509.CertPool

	key *ecdsa.PrivateKey
}

// NewAuthority creates a certificate authority named commonName with a fresh key.
func NewAuthority(commonName string) (*Authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("tlsutil: CA key: %w", err)
	}
	template, err := newTemplate(commonName)
	if err != nil {
		return nil, err
	}
	template.IsCA = true
	template.BasicConstraintsValid = true
	template.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("tlsutil: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("tlsutil: CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &Authority{
		Certificate: cert,
		CertPEM:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Pool:        pool,
		key:         key,
	}, nil
}

// IssueServer returns a server certificate signed by the authority, valid for hosts: each is
// an IP address or a DNS name; the first also names its subject. It returns ErrNoHosts when
// hosts is empty. The returned certificate carries its chain up to (excluding)
// the authority and is ready for tls.Config.Certificates.
func (a *Authority) IssueServer(hosts ...string) (tls.Certificate, error) {
	if len(hosts) == 0 {
		return tls.Certificate{}, ErrNoHosts
	}
	template, err := newTemplate(hosts[0])
	if err != nil {
		return tls.Certificate{}, err
	}
	for _, host := range hosts {
		if ip := net.ParseIP(host); ip != nil {
			template.IPAddresses = append(template.IPAddresses, ip)
		} else {
			template.DNSNames = append(template.DNSNames, host)
		}
	}
	template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	return a.issue(template)
}

// IssueClient returns a client certificate named commonName signed by the authority, for
// tls.Config.Certificates on a client that a server asks to authenticate.
func (a *Authority) IssueClient(commonName string) (tls.Certificate, error) {
	template, err := newTemplate(commonName)
	if err != nil {
		return tls.Certificate{}, err
	}
	template.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	return a.issue(template)
}

// issue signs template with the authority's key over a fresh leaf key.
func (a *Authority) issue(template *x509.Certificate) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsutil: leaf key: %w", err)
	}
	template.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, template, a.Certificate, &key.PublicKey, a.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsutil: sign %q: %w", template.Subject.CommonName, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsutil: parse %q: %w", template.Subject.CommonName, err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// newTemplate is the part every certificate shares: a random serial, a subject and a
// validity window around now.
func newTemplate(commonName string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("tlsutil: serial number: %w", err)
	}
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{"gnet test suite"}},
		NotBefore:    now.Add(validFrom),
		NotAfter:     now.Add(validFor),
	}, nil
}
