package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChurnRunGivesEveryEchoAConnectionOfItsOwn(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	cfg := shortRun(server.addr, frameNone, 3, 64, 1)
	cfg.churn = true

	var progress bytes.Buffer
	r, err := runChurn(t.Context(), cfg, &progress)
	require.NoError(t, err)

	assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
	assert.Positive(t, r.Connections)
	assert.GreaterOrEqual(t, server.accepted.Load(), int64(r.Connections),
		"the server accepted every measured connection (plus the warm-up's)")
	assert.GreaterOrEqual(t, server.echoed.Load(), int64(r.Connections)*64, "one message echoed on each")
	assert.Positive(t, r.ConnsPerSec)
	assert.LessOrEqual(t, r.P50Micros, r.P99Micros)
	assert.Equal(t, markerMeasuring+"\n"+markerMeasured+"\n", progress.String())
}

func TestChurnRunDetectsACorruptedEcho(t *testing.T) {
	server := startTestEchoServer(t, "tcp", 10)
	cfg := shortRun(server.addr, frameNone, 2, 64, 1)
	cfg.churn = true

	r, err := runChurn(t.Context(), cfg, &bytes.Buffer{})
	require.NoError(t, err)

	require.Equal(t, 2, r.Errors, "each goroutine stops at its first wrong echo")
	for _, cycleErr := range r.connErrors {
		assert.ErrorIs(t, cycleErr, ErrEchoMismatch)
	}
}

func TestRunChurnFlags(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	short := []string{"-duration", "100ms", "-warmup", "10ms"}
	checkCommandCases(t, []commandCase{
		{name: "text report", args: append([]string{"-addr", server.addr, "-conns", "2", "-churn"}, short...),
			wantStatus: exitOK, wantStdout: "connections/s"},
		{name: "over TLS", args: []string{"-addr", server.addr, "-churn", "-tls"},
			wantStatus: exitUsage, wantStderr: "-churn excludes"},
		{name: "with idle connections", args: []string{"-addr", server.addr, "-churn", "-idle", "3"},
			wantStatus: exitUsage, wantStderr: "-churn excludes"},
		{name: "over UDP", args: []string{"-addr", "udp://127.0.0.1:1", "-churn"},
			wantStatus: exitUsage, wantStderr: "need a stream address"},
	})
}

func TestRunChurnJSONReportIsOneObjectWithTheCounts(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	var r churnReport
	runForJSON(t, []string{
		"-addr", server.addr, "-conns", "2", "-size", "32", "-churn",
		"-duration", "100ms", "-warmup", "10ms", "-json",
	}, &r)

	assert.Equal(t, 2, r.Conns)
	assert.Equal(t, 32, r.Size)
	assert.Positive(t, r.Connections)
	assert.Positive(t, r.ConnsPerSec)
	assert.Zero(t, r.Errors)
}
