package main

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// End-to-end tests of clients that read their replies slower than redisd produces them, or
// not at all: 256 pipelined GETs of a 1 MiB value ask for four times the engine's outbound
// limit at once.

const (
	bigValueSize  = 1 << 20
	pipelinedGets = 256
)

// bigValue returns a value whose bytes change with their position, so that a reply that is
// cut short, shifted or spliced is told from the value.
func bigValue() []byte {
	v := make([]byte, bigValueSize)
	for i := range v {
		v[i] = byte(i ^ i>>8 ^ i>>16)
	}
	return v
}

// setBigValue stores bigValue() under key through a client of its own and returns it.
func setBigValue(t *testing.T, network, addr, key string) []byte {
	t.Helper()
	value := bigValue()
	require.Equal(t, "OK", dial(t, network, addr).do("SET", key, string(value)))
	return value
}

// readBigReplies reads n replies from c and checks that each is value.
func readBigReplies(t *testing.T, c *respClient, n int, value []byte) {
	t.Helper()
	for i := range n {
		reply, ok := c.read().([]byte)
		require.True(t, ok, "reply %d is a bulk string", i)
		require.True(t, bytes.Equal(value, reply), "reply %d is the value, byte for byte (%d bytes)", i, len(reply))
	}
}

// slowReader hands out at most chunk bytes per Read and sleeps for pause before each, as a
// client on a slow link does.
type slowReader struct {
	conn  net.Conn
	chunk int
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	time.Sleep(r.pause)
	if err := r.conn.SetReadDeadline(time.Now().Add(clientTimeout)); err != nil {
		return 0, err
	}
	return r.conn.Read(p[:min(len(p), r.chunk)])
}

// dialSlowReader is dial for a client that reads through a slowReader.
func dialSlowReader(t *testing.T, network, addr string, chunk int, pause time.Duration) *respClient {
	t.Helper()
	c := dial(t, network, addr)
	c.r = bufio.NewReaderSize(&slowReader{conn: c.conn, chunk: chunk, pause: pause}, chunk)
	return c
}

func TestSlowReaderGetsEveryReplyOfAPipelineFourTimesTheOutboundLimit(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	value := setBigValue(t, network, addr, "big")
	require.Greater(t, pipelinedGets*bigValueSize, server.DefaultMaxOutbound, "the replies cannot all be queued at once")

	// 256 KiB a millisecond: a few seconds for the 256 MiB, far slower than the server.
	c := dialSlowReader(t, network, addr, 256<<10, time.Millisecond)
	c.send(strings.Repeat(encodeCommand("GET", "big"), pipelinedGets))
	time.Sleep(300 * time.Millisecond) // the server runs ahead of the client until it must stop
	readBigReplies(t, c, pipelinedGets, value)
	assert.Equal(t, "PONG", c.do("PING"), "the connection is open and in step")
}

func TestOtherClientsAreServedWhileAClientLeavesItsRepliesUnread(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	value := setBigValue(t, network, addr, "big")
	behind := dial(t, network, addr)
	behind.send(strings.Repeat(encodeCommand("GET", "big"), pipelinedGets))
	readBigReplies(t, behind, 1, value)

	// On the same (only) event loop, while 255 replies are owed to a client that reads none.
	other := dial(t, network, addr)
	for i := range 100 {
		require.Equal(t, "PONG", other.do("PING"), "PING %d", i)
	}
	assert.Equal(t, "OK", other.do("SET", "small", "v"))
	assert.Equal(t, []byte("v"), other.do("GET", "small"))

	readBigReplies(t, behind, pipelinedGets-1, value)
	assert.Equal(t, "PONG", behind.do("PING"), "the connection is open and in step")
}

func TestClientThatNeverReadsIsClosedAtTheWriteTimeoutWithoutGrowingTheHeap(t *testing.T) {
	network, addr := startServerWith(t, "tcp", settings{loops: 1, maxOutbound: server.DefaultMaxOutbound, writeTimeout: 1})
	setBigValue(t, network, addr, "big")
	other := dial(t, network, addr)
	require.Equal(t, "PONG", other.do("PING"))

	heap := watchHeap(t)
	get := encodeCommand("GET", "big")
	flooder := dial(t, network, addr)
	stalled := make(chan struct{})
	flooded := make(chan struct{})
	var written int
	var floodErr error
	go func() {
		defer close(flooded)
		written, floodErr = writeUntilClosed(flooder.conn, []byte(strings.Repeat(get, 4096)), 20*time.Second, stalled)
	}()

	select {
	case <-stalled:
		assert.Equal(t, "PONG", other.do("PING"), "another client is served while the flooder is stuck")
	case <-flooded:
		t.Error("the server closed the connection without having stopped reading it")
	}
	<-flooded
	growth := heap()

	require.NotErrorIs(t, floodErr, os.ErrDeadlineExceeded, "the server closed the connection within 20 s")
	t.Logf("the flooder wrote %d GETs before the server closed it (%v); the heap grew by %d KiB at most", written/len(get), floodErr, growth>>10)
	assert.Greater(t, written/len(get), 4*server.DefaultMaxOutbound/bigValueSize, "the flooder asked for far more than the outbound limit")
	assert.Less(t, growth, uint64(16<<20), "the heap grew by less than 16 MiB (a fourth of the outbound limit)")
	assert.Equal(t, "PONG", other.do("PING"), "the server serves on after the close")
}

// writeUntilClosed writes request over and over, reading nothing, until a write fails with
// anything but a timeout (the server closed the connection) or limit passes. It closes
// stalled once a write has made no progress for 100 ms: the server has stopped reading. It
// returns how many bytes it wrote and the error that ended it (os.ErrDeadlineExceeded when
// limit passed).
func writeUntilClosed(conn net.Conn, request []byte, limit time.Duration, stalled chan<- struct{}) (int, error) {
	written, offset := 0, 0
	for end := time.Now().Add(limit); time.Now().Before(end); {
		if err := conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
			return written, err
		}
		// Partial writes resume where they stopped, so that the server sees whole commands.
		n, err := conn.Write(request[offset:])
		written += n
		offset = (offset + n) % len(request)
		switch {
		case n == 0 && errors.Is(err, os.ErrDeadlineExceeded):
			if stalled != nil {
				close(stalled)
				stalled = nil
			}
		case err != nil && !errors.Is(err, os.ErrDeadlineExceeded):
			return written, err
		}
	}
	return written, os.ErrDeadlineExceeded
}

// watchHeap samples the heap (the bytes of live and not yet swept objects) every millisecond
// until the returned function is called, or the test ends; the function returns how far the
// heap rose above what was live at the start.
func watchHeap(t *testing.T) func() uint64 {
	t.Helper()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heapBytes := func() uint64 {
		metrics.Read(sample) // no stop-the-world, unlike runtime.ReadMemStats
		return sample[0].Value.Uint64()
	}
	base := heapBytes()
	done := make(chan struct{})
	sampled := make(chan uint64, 1)
	go func() {
		ticker := time.NewTicker(time.Millisecond)
		defer ticker.Stop()
		peak := base
		for {
			peak = max(peak, heapBytes())
			select {
			case <-done:
				sampled <- peak - base
				return
			case <-ticker.C:
			}
		}
	}()
	var stop sync.Once
	var growth uint64
	result := func() uint64 {
		stop.Do(func() {
			close(done)
			growth = <-sampled
		})
		return growth
	}
	t.Cleanup(func() { result() })
	return result
}
