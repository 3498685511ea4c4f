package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noLossTimeout is longer than any test run: no datagram of a healthy server counts lost.
const noLossTimeout = time.Minute

// shortUDPRun keeps every UDP run of the tests bounded: a short warm-up and window.
func shortUDPRun(addr string, sockets, size, inflight int) config {
	cfg := shortRun(addr, frameNone, sockets, size, inflight)
	cfg.lossTimeout = noLossTimeout
	return cfg
}

func TestUDPRunCountsEveryAnsweredDatagram(t *testing.T) {
	tests := []struct {
		name     string
		sockets  int
		size     int
		inflight int
		gso      int
		gro      bool
	}{
		{name: "one in flight", sockets: 2, size: 64, inflight: 1},
		{name: "a window per socket", sockets: 3, size: 64, inflight: 8},
		{name: "header only", sockets: 1, size: udpHeaderBytes, inflight: 4},
		{name: "largest datagrams", sockets: 2, size: maxUDPPayload, inflight: 2},
		{name: "GSO batches", sockets: 2, size: 64, inflight: 8, gso: 4},
		{name: "GSO batches received with GRO", sockets: 2, size: 100, inflight: 8, gso: 8, gro: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.gso > 1 || tt.gro) && !udpOffloadSupported {
				t.Skip("GSO and GRO are Linux's")
			}
			server := startTestUDPEcho(t, udpFaults{})
			cfg := shortUDPRun(server.addr, tt.sockets, tt.size, tt.inflight)
			cfg.gsoBatch, cfg.gro = tt.gso, tt.gro

			var progress bytes.Buffer
			r, err := runUDP(t.Context(), cfg, &progress)
			require.NoError(t, err)

			assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
			assert.Positive(t, r.Messages)
			assert.Zero(t, r.Lost)
			assert.Zero(t, r.Late)
			assert.GreaterOrEqual(t, server.echoed.Load(), int64(r.Messages),
				"the server echoed at least the measured datagrams (plus the warm-up)")
			assert.LessOrEqual(t, r.Messages, r.Sent+uint64(tt.sockets*tt.inflight),
				"a window answers what it sent, plus what was in flight when it began")
			assert.InDelta(t, r.MsgsPerSec*float64(tt.size)/1e6, r.MBPerSec, 1e-9)
			assert.LessOrEqual(t, r.P50Micros, r.P99Micros)
			assert.LessOrEqual(t, r.P99Micros, r.MaxMicros)
			assert.Equal(t, markerMeasuring+"\n"+markerMeasured+"\n", progress.String())
		})
	}
}

func TestUDPRunRefillsTheWindowPastLostDatagrams(t *testing.T) {
	// One datagram in flight: were a lost one's slot not refilled, the first loss would stop
	// the socket for good.
	server := startTestUDPEcho(t, udpFaults{dropEvery: 3})
	cfg := shortUDPRun(server.addr, 1, 64, 1)
	cfg.lossTimeout = 5 * time.Millisecond
	cfg.duration = 500 * time.Millisecond

	r, err := runUDP(t.Context(), cfg, &bytes.Buffer{})
	require.NoError(t, err)

	assert.Zero(t, r.Errors, "a loss is counted, not a fault: %v", r.connErrors)
	assert.GreaterOrEqual(t, r.Lost, uint64(2), "the socket went on after its first loss")
	assert.Positive(t, r.Messages)
	assert.InDelta(t, float64(r.Lost)/float64(r.Lost+r.Messages)*100, r.LossPercent, 1e-9)
}

func TestUDPRunCountsALateReplyAsLostAndLate(t *testing.T) {
	server := startTestUDPEcho(t, udpFaults{delayEvery: 4, delay: 40 * time.Millisecond})
	cfg := shortUDPRun(server.addr, 1, 64, 2)
	cfg.lossTimeout = 5 * time.Millisecond
	cfg.duration = 500 * time.Millisecond

	r, err := runUDP(t.Context(), cfg, &bytes.Buffer{})
	require.NoError(t, err)

	assert.Zero(t, r.Errors, "a late reply is not a fault: %v", r.connErrors)
	assert.Positive(t, r.Lost)
	assert.Positive(t, r.Late, "delayed replies come after their datagrams were counted lost")
	assert.Positive(t, r.Messages)
}

func TestUDPRunDetectsAFaultyEcho(t *testing.T) {
	tests := []struct {
		name    string
		faults  udpFaults
		wantErr error
	}{
		{name: "a datagram answered twice", faults: udpFaults{duplicateEvery: 5}, wantErr: ErrDuplicateEcho},
		{name: "a flipped byte", faults: udpFaults{corruptEvery: 5}, wantErr: ErrEchoMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := startTestUDPEcho(t, tt.faults)
			cfg := shortUDPRun(server.addr, 2, 64, 4)

			r, err := runUDP(t.Context(), cfg, &bytes.Buffer{})
			require.NoError(t, err)

			require.NotZero(t, r.Errors)
			for _, sockErr := range r.connErrors {
				assert.ErrorIs(t, sockErr, tt.wantErr)
			}
		})
	}
}

func TestUDPRunReportsAServerThatNeverAnswers(t *testing.T) {
	cfg := shortUDPRun(startSilentUDPServer(t), 2, 64, 2)
	cfg.lossTimeout = 10 * time.Millisecond

	r, err := runUDP(t.Context(), cfg, &bytes.Buffer{})
	require.NoError(t, err)

	assert.Equal(t, 2, r.Errors)
	assert.Zero(t, r.Messages)
	assert.Positive(t, r.Lost)
	assert.InDelta(t, 100.0, r.LossPercent, 1e-9)
	for _, sockErr := range r.connErrors {
		assert.ErrorIs(t, sockErr, ErrNoProgress)
	}
}

func TestRunUDPFlags(t *testing.T) {
	server := startTestUDPEcho(t, udpFaults{})
	short := []string{"-duration", "100ms", "-warmup", "10ms"}
	checkCommandCases(t, []commandCase{
		{name: "text report", args: append([]string{"-addr", server.addr, "-conns", "2", "-inflight", "4"}, short...),
			wantStatus: exitOK, wantStdout: "errors 0"},
		{name: "too small for the header", args: []string{"-addr", server.addr, "-size", "15"},
			wantStatus: exitUsage, wantStderr: "UDP -size must be 16 to 65507"},
		{name: "too large for a datagram", args: []string{"-addr", server.addr, "-size", "65508"},
			wantStatus: exitUsage, wantStderr: "UDP -size must be 16 to 65507"},
		{name: "framing", args: []string{"-addr", server.addr, "-frame", "length"},
			wantStatus: exitUsage, wantStderr: "-frame none"},
		{name: "GSO over TCP", args: []string{"-addr", "tcp://127.0.0.1:1", "-gso", "4"},
			wantStatus: exitUsage, wantStderr: "-gso and -gro need a udp:// address"},
		{name: "GSO batch beyond the kernel's", args: []string{"-addr", server.addr, "-gso", "65"},
			wantStatus: exitUsage, wantStderr: "-gso must be 0 to 64"},
		{name: "GSO batch beyond a datagram", args: []string{"-addr", server.addr, "-gso", "2", "-size", "40000"},
			wantStatus: exitUsage, wantStderr: "must fit 65507 bytes"},
		{name: "no loss timeout", args: []string{"-addr", server.addr, "-loss-timeout", "0s"},
			wantStatus: exitUsage, wantStderr: "-loss-timeout must be positive"},
		{name: "idle sockets", args: []string{"-addr", server.addr, "-idle", "3"},
			wantStatus: exitUsage, wantStderr: "need a stream address"},
		{name: "TLS", args: []string{"-addr", server.addr, "-tls"},
			wantStatus: exitUsage, wantStderr: "UDP takes neither TLS"},
	})
}

func TestRunUDPJSONReportIsOneObjectWithTheCounts(t *testing.T) {
	server := startTestUDPEcho(t, udpFaults{})
	var r udpReport
	runForJSON(t, []string{
		"-addr", server.addr, "-conns", "2", "-size", "32", "-inflight", "3",
		"-duration", "100ms", "-warmup", "10ms", "-loss-timeout", "1m", "-json",
	}, &r)

	assert.Equal(t, "udp", r.Network)
	assert.Equal(t, 2, r.Sockets)
	assert.Equal(t, 32, r.Size)
	assert.Equal(t, 3, r.Inflight)
	assert.InDelta(t, 60000.0, r.LossTimeoutMS, 1e-9)
	assert.Positive(t, r.Messages)
	assert.Zero(t, r.Lost)
	assert.Zero(t, r.Errors)
}
