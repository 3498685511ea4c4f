package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigureRejectsIncompleteOrConflictingTLSFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate"), 0o600))
	tests := []struct {
		name      string
		codec     string
		cert, key string
		startTLS  bool
		wantErr   string
	}{
		{name: "certificate without key", codec: "none", cert: notPEM, wantErr: "-tls-cert and -tls-key go together"},
		{name: "key without certificate", codec: "none", key: notPEM, wantErr: "-tls-cert and -tls-key go together"},
		{name: "files that do not exist", codec: "none", cert: missing, key: missing, wantErr: "loading the TLS key pair"},
		{name: "files that hold no PEM", codec: "none", cert: notPEM, key: notPEM, wantErr: "loading the TLS key pair"},
		{name: "STARTTLS without a certificate", codec: "none", startTLS: true, wantErr: "-starttls needs -tls-cert and -tls-key"},
		{name: "unknown codec", codec: "xml", wantErr: "unknown codec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler, opts, err := configure(tt.codec, tt.cert, tt.key, tt.startTLS, true)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Nil(t, handler)
			assert.Nil(t, opts)
		})
	}
}

func TestConfigureWithoutTLSKeepsThePlainEchoServer(t *testing.T) {
	tests := []struct {
		name        string
		codec       string
		wantOptions int
	}{
		{name: "passthrough", codec: "none", wantOptions: 0},
		{name: "line codec", codec: "line", wantOptions: 1},
		{name: "length codec", codec: "length", wantOptions: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler, opts, err := configure(tt.codec, "", "", false, true)
			require.NoError(t, err)
			assert.IsType(t, &echoServer{}, handler)
			assert.Len(t, opts, tt.wantOptions)
		})
	}
}
