package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shortRun keeps every echo run of the tests bounded: a short warm-up and window.
func shortRun(addr string, frame frameKind, conns, size, inflight int) config {
	network, address, err := splitAddress(addr)
	if err != nil {
		panic(err)
	}
	return config{
		network: network, address: address,
		conns: conns, size: size, inflight: inflight, frame: frame,
		warmup: 20 * time.Millisecond, duration: 150 * time.Millisecond,
	}
}

func TestEchoRunCountsEveryCheckedMessageOfTheWindow(t *testing.T) {
	tests := []struct {
		name     string
		network  string
		frame    frameKind
		conns    int
		size     int
		inflight int
	}{
		{name: "bare bytes one in flight", network: "tcp", frame: frameNone, conns: 3, size: 64, inflight: 1},
		{name: "bare bytes pipelined", network: "tcp", frame: frameNone, conns: 3, size: 64, inflight: 16},
		{name: "length prefixed", network: "tcp", frame: frameLength, conns: 2, size: 100, inflight: 4},
		{name: "newline terminated", network: "tcp", frame: frameLine, conns: 2, size: 5, inflight: 8},
		{name: "payload smaller than the stamp", network: "tcp", frame: frameNone, conns: 1, size: 3, inflight: 2},
		{name: "large messages", network: "tcp", frame: frameNone, conns: 2, size: 4096, inflight: 1},
		{name: "unix socket", network: "unix", frame: frameLength, conns: 2, size: 64, inflight: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := startTestEchoServer(t, tt.network, -1)
			cfg := shortRun(server.addr, tt.frame, tt.conns, tt.size, tt.inflight)

			var progress bytes.Buffer
			r, err := runEcho(t.Context(), cfg, &progress)
			require.NoError(t, err)

			assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
			assert.Positive(t, r.Messages)
			assert.Equal(t, r.RoundTrips*uint64(tt.inflight), r.Messages,
				"every counted round trip carries exactly -inflight messages")
			assert.GreaterOrEqual(t, server.echoed.Load(), int64(r.Messages)*int64(tt.frame.framedSize(tt.size)),
				"the server echoed at least the measured messages (plus the warm-up)")
			assert.Equal(t, int64(tt.conns), server.accepted.Load())
			assert.Positive(t, r.MsgsPerSec)
			assert.Positive(t, r.CPUSeconds, "the load generator's own CPU time over the window")
			assert.InDelta(t, r.MsgsPerSec*float64(tt.size)/1e6, r.MBPerSec, 1e-9)
			assert.LessOrEqual(t, r.P50Micros, r.P99Micros)
			assert.LessOrEqual(t, r.P99Micros, r.MaxMicros)
			assert.Equal(t, markerMeasuring+"\n"+markerMeasured+"\n", progress.String())
		})
	}
}

func TestEchoRunDetectsACorruptedByte(t *testing.T) {
	tests := []struct {
		name      string
		frame     frameKind
		corruptAt int64
	}{
		{name: "first byte of the first message", frame: frameNone, corruptAt: 0},
		{name: "inside the length prefix", frame: frameLength, corruptAt: 2},
		{name: "payload of a later batch", frame: frameLength, corruptAt: 5000},
		{name: "line terminator", frame: frameLine, corruptAt: 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := startTestEchoServer(t, "tcp", tt.corruptAt)
			cfg := shortRun(server.addr, tt.frame, 2, 64, 4)

			r, err := runEcho(t.Context(), cfg, &bytes.Buffer{})
			require.NoError(t, err)

			require.Equal(t, 2, r.Errors, "each connection's stream is corrupted once")
			for _, connErr := range r.connErrors {
				assert.ErrorIs(t, connErr, ErrEchoMismatch)
			}
			assert.Contains(t, r.FirstError, ErrEchoMismatch.Error())
		})
	}
}

func TestEchoRunReportsAServerThatStopsAnswering(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, ln.Close()) })
	// The kernel completes the handshakes from the listen backlog; nobody ever reads.

	r, err := runEcho(t.Context(), shortRun("tcp://"+ln.Addr().String(), frameNone, 2, 64, 1), &bytes.Buffer{})
	require.NoError(t, err)

	assert.Equal(t, 2, r.Errors)
	assert.Zero(t, r.Messages)
	for _, connErr := range r.connErrors {
		assert.ErrorIs(t, connErr, ErrNoProgress)
	}
}

func TestRunExitStatusTellsWhetherEveryEchoWasRight(t *testing.T) {
	healthy := startTestEchoServer(t, "tcp", -1)
	corrupting := startTestEchoServer(t, "tcp", 10)
	checkCommandCases(t, []commandCase{
		{
			name:       "healthy server, text report",
			args:       []string{"-addr", healthy.addr, "-conns", "2", "-duration", "100ms", "-warmup", "10ms"},
			wantStatus: exitOK,
			wantStdout: "errors 0",
			wantStderr: markerMeasured,
		},
		{
			name:       "corrupting server",
			args:       []string{"-addr", corrupting.addr, "-conns", "2", "-duration", "100ms", "-warmup", "10ms"},
			wantStatus: exitFailed,
			wantStdout: "errors 2",
			wantStderr: ErrEchoMismatch.Error(),
		},
		{
			name:       "bare host and port",
			args:       []string{"-addr", strings.TrimPrefix(healthy.addr, "tcp://"), "-conns", "1", "-duration", "50ms"},
			wantStatus: exitOK,
			wantStdout: "errors 0",
		},
		{
			name:       "unknown framing",
			args:       []string{"-addr", healthy.addr, "-frame", "xml"},
			wantStatus: exitUsage,
			wantStderr: ErrBadFlag.Error(),
		},
		{
			name:       "unknown scheme",
			args:       []string{"-addr", "sctp://127.0.0.1:1"},
			wantStatus: exitUsage,
			wantStderr: ErrBadAddress.Error(),
		},
		{
			name:       "zero connections",
			args:       []string{"-addr", healthy.addr, "-conns", "0"},
			wantStatus: exitUsage,
			wantStderr: "-conns must be at least 1",
		},
		{
			name:       "stray argument",
			args:       []string{"-addr", healthy.addr, "now"},
			wantStatus: exitUsage,
			wantStderr: "unexpected arguments",
		},
	})
}

func TestRunJSONReportIsOneObjectWithTheCounts(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	var r report
	runForJSON(t, []string{
		"-addr", server.addr, "-conns", "2", "-size", "32", "-inflight", "3",
		"-frame", "length", "-duration", "100ms", "-warmup", "10ms", "-json",
	}, &r)

	assert.Equal(t, "tcp", r.Network)
	assert.Equal(t, 2, r.Conns)
	assert.Equal(t, 32, r.Size)
	assert.Equal(t, 3, r.Inflight)
	assert.Equal(t, "length", r.Frame)
	assert.Equal(t, r.RoundTrips*3, r.Messages)
	assert.Positive(t, r.Messages)
	assert.Zero(t, r.Errors)
}

func TestRunStopsEarlyOnSignalAndReportsTheShorterWindow(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	ctx, cancel := context.WithCancel(t.Context())
	cfg := shortRun(server.addr, frameNone, 2, 64, 1)
	cfg.duration = time.Hour

	progress := &markerWatcher{marker: markerMeasuring, seen: make(chan struct{})}
	done := make(chan report, 1)
	go func() {
		r, err := runEcho(ctx, cfg, progress)
		assert.NoError(t, err)
		done <- r
	}()
	<-progress.seen
	cancel()
	r := <-done

	assert.Less(t, r.Seconds, time.Hour.Seconds())
	assert.Zero(t, r.Errors, "an interrupted window is not a server fault: %v", r.connErrors)
}

func TestDialGivesUpAfterRetriesWhenNothingListens(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	var stderr bytes.Buffer
	status := run(t.Context(), []string{"-addr", addr, "-conns", "3", "-duration", "50ms"}, &bytes.Buffer{}, &stderr)

	assert.Equal(t, exitFailed, status)
	assert.Contains(t, stderr.String(), ErrDialFailed.Error())
	assert.Contains(t, stderr.String(), "connection refused")
}

// markerWatcher closes seen when a written line equals marker. Only runEcho's coordinating
// goroutine writes to it.
type markerWatcher struct {
	marker string
	seen   chan struct{}
}

func (m *markerWatcher) Write(p []byte) (int, error) {
	if strings.TrimSpace(string(p)) == m.marker {
		close(m.seen)
	}
	return len(p), nil
}
