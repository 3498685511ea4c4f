package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/embedded"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// Pacing through the in-memory connection: its client reads nothing (stalled) until the test
// drains it.

// pacedHarness returns a harness and a stalled connection on which key holds a value of
// valueSize bytes.
func pacedHarness(t *testing.T, key string, valueSize int) (*harness, *embedded.Conn) {
	t.Helper()
	h := newHarness(t, resp.Limits{})
	c := h.open()
	_, err := h.feed(c, []byte(encodeCommand("SET", key, strings.Repeat("v", valueSize))))
	require.NoError(t, err)
	c.TakeOutbound()
	c.StallOutput(true)
	return h, c
}

func TestCommandsAfterTheHighWatermarkWaitUnconsumedAndUnread(t *testing.T) {
	// Two 600 KiB replies pass the 1 MiB high watermark.
	h, c := pacedHarness(t, "k", 600<<10)
	get := encodeCommand("GET", "k")
	action, err := h.feed(c, []byte(strings.Repeat(get, 10)))
	require.NoError(t, err)

	assert.Equal(t, api.None, action)
	assert.Equal(t, 2*(600<<10+len("$614400\r\n\r\n")), len(c.Outbound()), "two replies, whole")
	assert.Equal(t, strings.Repeat(get, 8), string(c.Read()), "eight GETs wait, unconsumed")
	assert.True(t, c.Paused(), "the connection is not read")
	assert.Equal(t, 1, c.PendingWakes(), "a wake-up is asked for, in case the output drains unreported")

	_, err = h.feed(c, []byte("PING\r\n"))
	require.NoError(t, err)
	assert.Equal(t, 2*(600<<10+len("$614400\r\n\r\n")), len(c.Outbound()), "new bytes are not executed either")
}

func TestDrainingBelowTheLowWatermarkExecutesTheCommandsThatWaited(t *testing.T) {
	h, c := pacedHarness(t, "k", 600<<10)
	_, err := h.feed(c, []byte(strings.Repeat(encodeCommand("GET", "k"), 10)+"PING\r\n"))
	require.NoError(t, err)
	require.True(t, c.Paused())

	for drains := 1; c.Paused(); drains++ {
		require.LessOrEqual(t, drains, 10, "each drain lets at least one GET run")
		c.DrainOutput(0)
		h.srv.OnWritabilityChanged(c, true)
	}
	value := strings.Repeat("v", 600<<10)
	assert.Equal(t, strings.Repeat("$614400\r\n"+value+"\r\n", 10)+"+PONG\r\n", string(c.Outbound()))
	assert.Empty(t, c.Read())
	assert.False(t, isClosed(c))
}

func TestAWakeUpResumesOnlyOnceTheOutputIsBelowTheLowWatermark(t *testing.T) {
	h, c := pacedHarness(t, "k", 600<<10)
	_, err := h.feed(c, []byte(strings.Repeat(encodeCommand("GET", "k"), 3)))
	require.NoError(t, err)
	written := len(c.Outbound())

	c.DrainOutput(h.srv.output.low + 1)
	assert.Equal(t, api.None, h.srv.React(nil, c))
	assert.Equal(t, written, len(c.Outbound()), "above the low watermark: still blocked")
	assert.True(t, c.Paused())

	c.DrainOutput(h.srv.output.low)
	assert.Equal(t, api.None, h.srv.React(nil, c))
	assert.Greater(t, len(c.Outbound()), written, "at the low watermark: the GET that waited ran")
	assert.Empty(t, c.Read())
}

func TestQuitThatWaitedClosesOnceExecuted(t *testing.T) {
	h, c := pacedHarness(t, "k", 600<<10)
	_, err := h.feed(c, []byte(strings.Repeat(encodeCommand("GET", "k"), 2)+"QUIT\r\nPING\r\n"))
	require.NoError(t, err)
	require.True(t, c.Paused())

	c.DrainOutput(0)
	h.srv.OnWritabilityChanged(c, true)
	assert.True(t, isClosed(c))
	assert.True(t, strings.HasSuffix(string(c.Outbound()), "\r\n+OK\r\n"), "QUIT answered, PING not")
}

func TestAProtocolErrorThatWaitedIsAnsweredOnceTheCommandsBeforeItRan(t *testing.T) {
	h, c := pacedHarness(t, "k", 600<<10)
	_, err := h.feed(c, []byte(strings.Repeat(encodeCommand("GET", "k"), 2)+"PING\r\n*x\r\n"))
	require.NoError(t, err)
	require.True(t, c.Paused())

	c.DrainOutput(0)
	h.srv.OnWritabilityChanged(c, true)
	assert.True(t, isClosed(c))
	assert.True(t, strings.HasSuffix(string(c.Outbound()), "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"))
	assert.Empty(t, c.Read())
}

func TestAReplyThatCannotFitTheOutboundLimitClosesAfterTheRepliesBeforeIt(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	h.srv.output = outputLimitsFor(4 << 20)
	c := h.open()
	value := strings.Repeat("v", 1<<20)
	_, err := h.feed(c, []byte(encodeCommand("MSET", "a", value, "b", value, "c", value, "d", value, "e", value)))
	require.NoError(t, err)
	c.TakeOutbound()
	c.StallOutput(true)

	action, err := h.feed(c, []byte("PING\r\nMGET a b c d e\r\nPING\r\n"))
	require.NoError(t, err)
	assert.Equal(t, api.Close, action, "closed once what was queued is written")
	assert.True(t, strings.HasPrefix(string(c.Outbound()), "+PONG\r\n*5\r\n"))
	assert.LessOrEqual(t, c.OutboundLength(), 4<<20, "nothing was queued past the limit")
	assert.NotContains(t, string(c.Outbound()), "+PONG\r\n+PONG", "the PING after it did not run")
}

func TestOutputLimitsFollowTheOutboundLimit(t *testing.T) {
	assert.Equal(t, outputLimits{max: 64 << 20, high: server.DefaultWriteHighWatermark, low: server.DefaultWriteLowWatermark},
		outputLimitsFor(64<<20))
	assert.Equal(t, outputLimits{max: 4096, high: 4096, low: 4096}, outputLimitsFor(4096))
}
