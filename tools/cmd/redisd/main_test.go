package main

import (
	"io"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

func TestFlagsDefaultToALoopPerCPUOnPort6380(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "tcp://127.0.0.1:6380", cfg.addr)
	assert.Equal(t, runtime.NumCPU(), cfg.loops)
	assert.Equal(t, resp.DefaultMaxBulk, cfg.limits.MaxBulk)
	assert.Equal(t, resp.DefaultMaxMultibulk, cfg.limits.MaxMultibulk)
	assert.Equal(t, 4*resp.DefaultMaxBulk, cfg.maxOutbound, "room for a few of the largest values")
	assert.False(t, cfg.reusePort)
	assert.False(t, cfg.quiet)
}

func TestFlagsAreParsed(t *testing.T) {
	cfg, err := parseFlags([]string{"-addr", "unix:///tmp/r.sock", "-loops", "3", "-reuseport", "-quiet",
		"-max-bulk", "1024", "-max-multibulk", "10", "-max-outbound", "4096", "-write-timeout", "5", "-cpuprofile", "cpu.out", "-shards", "16"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, settings{
		addr: "unix:///tmp/r.sock", loops: 3, reusePort: true, quiet: true,
		limits:      resp.Limits{MaxBulk: 1024, MaxMultibulk: 10},
		maxOutbound: 4096, writeTimeout: 5, cpuProfile: "cpu.out", storeShards: 16,
	}, cfg)
}

func TestSmallMaxBulkKeepsTheEngineDefaultOutboundLimit(t *testing.T) {
	cfg, err := parseFlags([]string{"-max-bulk", "1024"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, server.DefaultMaxOutbound, cfg.maxOutbound)
}

func TestInvalidFlagsAreRejected(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "bulk above 512 MiB", args: []string{"-max-bulk", "536870913"}},
		{name: "negative multibulk", args: []string{"-max-multibulk", "-1"}},
		{name: "no loop", args: []string{"-loops", "0"}},
		{name: "negative write timeout", args: []string{"-write-timeout", "-1"}},
		{name: "stray argument", args: []string{"extra"}},
		{name: "unknown flag", args: []string{"-nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFlags(tt.args, io.Discard)
			assert.Error(t, err)
		})
	}
}

func TestRunRejectsABadShardCount(t *testing.T) {
	cfg, err := parseFlags([]string{"-shards", "3", "-quiet"}, io.Discard)
	require.NoError(t, err)
	assert.ErrorIs(t, run(cfg), kvstore.ErrInvalidShards)
}
