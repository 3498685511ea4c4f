package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfigAcceptsValidFlagsAndRejectsBadOnes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantErr  error
		backends []string
		profile  string
	}{
		{name: "backends are required", args: nil, wantErr: errNoBackends},
		{name: "blank entries name nothing", args: []string{"-backends", " , "}, wantErr: errNoBackends},
		{name: "an entry needs a port", args: []string{"-backends", "127.0.0.1"}, wantErr: errInvalidBackend},
		{name: "an entry needs a host", args: []string{"-backends", ":80"}, wantErr: errInvalidBackend},
		{name: "the health interval must be positive", args: []string{"-backends", "a:1", "-health-interval", "0s"}, wantErr: errInvalidDuration},
		{name: "the dial timeout must be positive", args: []string{"-backends", "a:1", "-dial-timeout", "-1s"}, wantErr: errInvalidDuration},
		{name: "a list is split and trimmed", args: []string{"-backends", "a:1, b:2,"}, backends: []string{"a:1", "b:2"}},
		{name: "a CPU profile", args: []string{"-backends", "a:1", "-cpuprofile", "cpu.out"}, backends: []string{"a:1"}, profile: "cpu.out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig(tt.args, io.Discard)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.backends, cfg.backends)
			assert.Equal(t, "tcp://127.0.0.1:8000", cfg.addr)
			assert.Equal(t, time.Second, cfg.healthInterval)
			assert.Equal(t, 3*time.Second, cfg.dialTimeout)
			assert.Equal(t, tt.profile, cfg.cpuProfile)
		})
	}
}
