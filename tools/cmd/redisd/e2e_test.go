package main

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// startServer runs redisd in the test's process on a loopback port from :0 (or a Unix socket)
// with the options main uses, and stops it when the test ends. It returns the network and
// address to dial.
func startServer(t *testing.T, network string, loops int, limits resp.Limits) (string, string) {
	t.Helper()
	return startServerWith(t, network, settings{loops: loops, limits: limits, maxOutbound: server.DefaultMaxOutbound})
}

// startServerWith is startServer with every setting but the address taken from cfg.
func startServerWith(t *testing.T, network string, cfg settings) (string, string) {
	t.Helper()
	store, err := kvstore.New()
	require.NoError(t, err)
	cfg.quiet = true
	handler := newRedisServer(store, cfg)
	cfg.addr = "tcp://127.0.0.1:0"
	if network == "unix" {
		cfg.addr = "unix://" + t.TempDir() + "/redisd.sock"
	}
	require.NoError(t, server.Serve(handler, cfg.addr, append(serverOptions(cfg), server.WithBlock(false))...))
	t.Cleanup(handler.close)
	handler.mu.Lock()
	running := handler.running
	handler.mu.Unlock()
	require.NotNil(t, running, "OnInitComplete ran before Serve returned")
	return running.Addr.Network(), running.Addr.String()
}

func TestServerAnswersEachCommandOverTCP(t *testing.T) {
	network, addr := startServer(t, "tcp", 2, resp.Limits{})
	c := dial(t, network, addr)
	tests := []struct {
		args []string
		want any
	}{
		{args: []string{"PING"}, want: "PONG"},
		{args: []string{"PING", "hi"}, want: []byte("hi")},
		{args: []string{"ECHO", "a\r\nb"}, want: []byte("a\r\nb")},
		{args: []string{"SELECT", "0"}, want: "OK"},
		{args: []string{"SET", "k", "v"}, want: "OK"},
		{args: []string{"GET", "k"}, want: []byte("v")},
		{args: []string{"GET", "missing"}, want: nil},
		{args: []string{"SET", "k", "w", "NX"}, want: nil},
		{args: []string{"SET", "k", "w", "XX", "EX", "100"}, want: "OK"},
		{args: []string{"TTL", "k"}, want: int64(100)},
		{args: []string{"EXPIRE", "k", "200"}, want: int64(1)},
		{args: []string{"TTL", "k"}, want: int64(200)},
		{args: []string{"MSET", "a", "1", "b", "2"}, want: "OK"},
		{args: []string{"MGET", "a", "b", "c"}, want: []any{[]byte("1"), []byte("2"), nil}},
		{args: []string{"INCR", "a"}, want: int64(2)},
		{args: []string{"DECR", "a"}, want: int64(1)},
		{args: []string{"INCRBY", "a", "10"}, want: int64(11)},
		{args: []string{"EXISTS", "a", "b", "c"}, want: int64(2)},
		{args: []string{"DEL", "a", "c"}, want: int64(1)},
		{args: []string{"DBSIZE"}, want: int64(2)},
		{args: []string{"RPUSH", "l", "x", "y"}, want: int64(2)},
		{args: []string{"LRANGE", "l", "0", "-1"}, want: []any{[]byte("x"), []byte("y")}},
		{args: []string{"GET", "l"}, want: respError("WRONGTYPE Operation against a key holding the wrong kind of value")},
		{args: []string{"GET"}, want: respError("ERR wrong number of arguments for 'get' command")},
		{args: []string{"INCR", "k"}, want: respError("ERR value is not an integer or out of range")},
		{args: []string{"SET", "k", "v", "NX", "XX"}, want: respError("ERR syntax error")},
		{args: []string{"FOO", "x"}, want: respError("ERR unknown command 'FOO', with args beginning with: 'x' ")},
		{args: []string{"COMMAND", "DOCS"}, want: []any{}},
		{args: []string{"CONFIG", "GET", "save"}, want: []any{[]byte("save"), []byte("")}},
		{args: []string{"FLUSHALL"}, want: "OK"},
		{args: []string{"DBSIZE"}, want: int64(0)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.do(tt.args...), "%q", tt.args)
	}
}

func TestServerAnswersInlineCommands(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	c := dial(t, network, addr)
	c.send("PING\r\nSET k \"hello world\"\nGET k\r\n")
	assert.Equal(t, "PONG", c.read())
	assert.Equal(t, "OK", c.read())
	assert.Equal(t, []byte("hello world"), c.read())
}

func TestServerAnswers1000PipelinedCommandsFromOneWriteInOrder(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	c := dial(t, network, addr)
	var pipeline strings.Builder
	for i := range 1000 {
		switch i % 3 {
		case 0:
			pipeline.WriteString(encodeCommand("SET", "key:"+strconv.Itoa(i), "value:"+strconv.Itoa(i)))
		case 1:
			pipeline.WriteString(encodeCommand("GET", "key:"+strconv.Itoa(i-1)))
		default:
			pipeline.WriteString(encodeCommand("INCR", "counter"))
		}
	}
	c.send(pipeline.String())
	for i := range 1000 {
		reply := c.read()
		switch i % 3 {
		case 0:
			require.Equal(t, "OK", reply, "reply %d", i)
		case 1:
			require.Equal(t, []byte("value:"+strconv.Itoa(i-1)), reply, "reply %d", i)
		default:
			require.Equal(t, int64(i/3+1), reply, "reply %d", i)
		}
	}
}

func TestServerRepliesToAProtocolErrorThenCloses(t *testing.T) {
	tests := []struct {
		name    string
		request string
		want    []any
	}{
		{name: "bad multibulk length", request: "*x\r\n", want: []any{respError("ERR Protocol error: invalid multibulk length")}},
		{name: "negative bulk length", request: "*1\r\n$-1\r\n", want: []any{respError("ERR Protocol error: invalid bulk length")}},
		{name: "bulk over the limit", request: "*1\r\n$1025\r\n", want: []any{respError("ERR Protocol error: invalid bulk length")}},
		{name: "not a bulk string", request: "*1\r\n:1\r\n", want: []any{respError("ERR Protocol error: expected '$', got ':'")}},
		{name: "unbalanced quotes", request: "SET k \"v\r\n", want: []any{respError("ERR Protocol error: unbalanced quotes in request")}},
		{
			name:    "after commands in the same write",
			request: "PING\r\n*1\r\n$4\r\nPING\r\n*01\r\n",
			want:    []any{"PONG", "PONG", respError("ERR Protocol error: invalid multibulk length")},
		},
	}
	network, addr := startServer(t, "tcp", 1, resp.Limits{MaxBulk: 1024})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, network, addr)
			c.send(tt.request)
			for _, want := range tt.want {
				assert.Equal(t, want, c.read())
			}
			c.readEOF()
		})
	}
}

func TestServerClosesAfterQuit(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	c := dial(t, network, addr)
	c.send("QUIT\r\nPING\r\n")
	assert.Equal(t, "OK", c.read())
	c.readEOF()
}

func TestServerStoresAndReturnsALargeValue(t *testing.T) {
	network, addr := startServer(t, "tcp", 1, resp.Limits{})
	c := dial(t, network, addr)
	value := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	assert.Equal(t, "OK", c.do("SET", "big", value))
	assert.Equal(t, []byte(value), c.do("GET", "big"))
	assert.Equal(t, "PONG", c.do("PING"), "the stream is in step after the value")
}

func TestServerOverAUnixSocket(t *testing.T) {
	network, addr := startServer(t, "unix", 1, resp.Limits{})
	c := dial(t, network, addr)
	assert.Equal(t, "PONG", c.do("PING"))
}

func TestClientsOnDifferentLoopsShareTheKeyspace(t *testing.T) {
	network, addr := startServer(t, "tcp", 2, resp.Limits{})
	const clients, increments = 8, 200
	var wg sync.WaitGroup
	for range clients {
		c := dial(t, network, addr)
		wg.Go(func() {
			// require must not fail the test from this goroutine: errors go to t.Error.
			if err := c.incrementInOneWrite("shared", increments); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, []byte(fmt.Sprint(clients*increments)), dial(t, network, addr).do("GET", "shared"))
}
