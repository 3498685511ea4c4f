package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsWindow is the measured window of the TLS runs: long enough that every connection or
// goroutine completes a round trip or a handshake even under the race detector on a busy
// machine.
const tlsWindow = time.Second

// selfSignedCertificate makes a throwaway certificate for 127.0.0.1 when the test runs, so
// that no key is checked in. (The testsuite module has a fuller helper; its internal package
// is out of this module's reach.)
func selfSignedCertificate(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "loadgen test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// startTestTLSEchoServer is startTestEchoServer behind a crypto/tls listener.
func startTestTLSEchoServer(t *testing.T) *testEchoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	config := &tls.Config{Certificates: []tls.Certificate{selfSignedCertificate(t)}}
	return serveTestEcho(t, tls.NewListener(ln, config), -1)
}

// startResettingTLSServer completes every handshake and then resets the connection
// (SO_LINGER 0), the way a server that crashes or drops its connections does.
func startResettingTLSServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	config := &tls.Config{Certificates: []tls.Certificate{selfSignedCertificate(t)}}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			raw, err := ln.Accept()
			if err != nil {
				return // the listener closed: the test is over
			}
			wg.Go(func() {
				// Either outcome of the handshake ends in the same reset; a failure to
				// set the linger would show as the client not seeing an error.
				_ = tls.Server(raw, config).Handshake()
				_ = raw.(*net.TCPConn).SetLinger(0)
				_ = raw.Close()
			})
		}
	})
	t.Cleanup(func() {
		require.NoError(t, ln.Close())
		wg.Wait()
	})
	return "tcp://" + ln.Addr().String()
}

func TestTLSEchoRunChecksEveryMessageOverTLS(t *testing.T) {
	tests := []struct {
		name     string
		frame    frameKind
		size     int
		inflight int
	}{
		{name: "one message in flight", frame: frameNone, size: 64, inflight: 1},
		{name: "pipelined length-prefixed messages", frame: frameLength, size: 100, inflight: 8},
		{name: "messages larger than a record", frame: frameNone, size: 20000, inflight: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := startTestTLSEchoServer(t)
			cfg := shortRun(server.addr, tt.frame, 2, tt.size, tt.inflight)
			cfg.tls = newClientTLSConfig(cfg.address, true)
			cfg.duration = tlsWindow

			r, err := runEcho(t.Context(), cfg, &bytes.Buffer{})
			require.NoError(t, err)

			assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
			assert.Positive(t, r.Messages)
			assert.GreaterOrEqual(t, server.echoed.Load(), int64(r.Messages)*int64(tt.frame.framedSize(tt.size)),
				"the server decrypted and echoed at least the measured messages")
		})
	}
}

func TestHandshakeRunCountsCompleteHandshakes(t *testing.T) {
	server := startTestTLSEchoServer(t)
	cfg := shortRun(server.addr, frameNone, 3, 1, 1)
	cfg.tls = newClientTLSConfig(cfg.address, true)
	cfg.handshakes = true
	cfg.duration = tlsWindow

	var progress bytes.Buffer
	r, err := runHandshakes(t.Context(), cfg, &progress)
	require.NoError(t, err)

	assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
	assert.Positive(t, r.Handshakes)
	assert.GreaterOrEqual(t, server.accepted.Load(), int64(r.Handshakes), "every handshake had a connection of its own")
	assert.Positive(t, r.HandshakesPerSec)
	assert.Positive(t, r.CPUSeconds, "the load generator's own CPU time over the window")
	assert.LessOrEqual(t, r.P50Micros, r.P99Micros)
	assert.LessOrEqual(t, r.P99Micros, r.MaxMicros)
	assert.Equal(t, markerMeasuring+"\n"+markerMeasured+"\n", progress.String())
}

func TestHandshakeRunReportsAServerThatResetsTheConnection(t *testing.T) {
	addr := startResettingTLSServer(t)
	cfg := shortRun(addr, frameNone, 2, 1, 1)
	cfg.tls = newClientTLSConfig(cfg.address, true)
	cfg.handshakes = true
	cfg.duration = tlsWindow

	r, err := runHandshakes(t.Context(), cfg, io.Discard)
	require.NoError(t, err)

	require.Equal(t, 2, r.Errors, "errors: %v", r.connErrors)
	for _, connErr := range r.connErrors {
		assert.ErrorIs(t, connErr, ErrUncleanClose)
	}
}

func TestRunWithTLSFlags(t *testing.T) {
	server := startTestTLSEchoServer(t)
	plain := startTestEchoServer(t, "tcp", -1)
	short := []string{"-duration", tlsWindow.String(), "-warmup", "10ms"}
	checkCommandCases(t, []commandCase{
		{name: "echo over TLS without verification", args: append([]string{"-addr", server.addr, "-conns", "2", "-tls-insecure"}, short...),
			wantStatus: exitOK, wantStdout: "errors 0"},
		{name: "handshakes, text report", args: append([]string{"-addr", server.addr, "-conns", "2", "-tls-insecure", "-handshakes"}, short...),
			wantStatus: exitOK, wantStdout: "handshakes/s"},
		{name: "a self-signed certificate fails verification", args: append([]string{"-addr", server.addr, "-conns", "1", "-tls"}, short...),
			wantStatus: exitFailed, wantStderr: ErrHandshakeFailed.Error()},
		{name: "TLS against a plaintext server", args: append([]string{"-addr", plain.addr, "-conns", "1", "-tls-insecure"}, short...),
			wantStatus: exitFailed, wantStderr: ErrHandshakeFailed.Error()},
		{name: "handshakes need TLS", args: []string{"-addr", server.addr, "-handshakes"},
			wantStatus: exitUsage, wantStderr: "-handshakes needs -tls"},
		{name: "handshakes and idle exclude each other", args: []string{"-addr", server.addr, "-tls", "-handshakes", "-idle", "5"},
			wantStatus: exitUsage, wantStderr: "exclude each other"},
	})
}

func TestHandshakeJSONReportIsOneObjectWithTheCounts(t *testing.T) {
	server := startTestTLSEchoServer(t)
	var r handshakeReport
	runForJSON(t, []string{
		"-addr", server.addr, "-conns", "2", "-tls-insecure", "-handshakes",
		"-duration", tlsWindow.String(), "-warmup", "10ms", "-json",
	}, &r)

	assert.Equal(t, 2, r.Conns)
	assert.Positive(t, r.Handshakes)
	assert.Positive(t, r.HandshakesPerSec)
	assert.Zero(t, r.Errors)
}
