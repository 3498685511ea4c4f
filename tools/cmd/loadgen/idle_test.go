package main

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer lets the test read what runIdle's goroutine writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestIdleOpensEveryConnectionAndClosesThemWhenTold(t *testing.T) {
	tests := []struct {
		name       string
		idle       int
		json       bool
		wantOutput string
	}{
		{name: "text announcement", idle: 40, wantOutput: "loadgen: established 40 idle connections, holding them until SIGINT or SIGTERM\n"},
		{name: "json announcement", idle: 5, json: true, wantOutput: "{\"established\":5}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := startTestEchoServer(t, "tcp", -1)
			network, address, err := splitAddress(server.addr)
			require.NoError(t, err)
			cfg := config{network: network, address: address, idle: tt.idle, json: tt.json}

			ctx, cancel := context.WithCancel(t.Context())
			var out lockedBuffer
			done := make(chan error, 1)
			go func() { done <- runIdle(ctx, cfg, &out) }()

			require.Eventually(t, func() bool { return out.String() != "" }, 10*time.Second, time.Millisecond)
			assert.Equal(t, tt.wantOutput, out.String())
			require.Eventually(t, func() bool { return server.accepted.Load() == int64(tt.idle) },
				10*time.Second, time.Millisecond)
			assert.Zero(t, server.closed.Load(), "idle connections stay open while held")
			assert.Zero(t, server.echoed.Load(), "idle connections send nothing")

			cancel()
			require.NoError(t, <-done)
			require.Eventually(t, func() bool { return server.closed.Load() == int64(tt.idle) },
				10*time.Second, time.Millisecond)
		})
	}
}

func TestIdleHoldEndsByItself(t *testing.T) {
	server := startTestEchoServer(t, "tcp", -1)
	var stdout, stderr bytes.Buffer

	status := run(t.Context(), []string{"-addr", server.addr, "-idle", "3", "-hold", "10ms"}, &stdout, &stderr)

	assert.Equal(t, exitOK, status, "stderr: %s", stderr.String())
	assert.Equal(t, "loadgen: established 3 idle connections, holding them for 10ms\n", stdout.String())
	require.Eventually(t, func() bool { return server.closed.Load() == 3 }, 10*time.Second, time.Millisecond)
}
