package main

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/tools/internal/resp"
)

// These tests run the real Redis tools against redisd when they are installed (the benchmark
// script tools/bench/resp.sh installs them), and skip otherwise.

// lookPath returns the path of a Redis tool, or skips the test.
func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install redis-tools redis-server; tools/bench/resp.sh does)", name)
	}
	return path
}

func TestRedisCliCommandsGetRedisAnswers(t *testing.T) {
	cli := lookPath(t, "redis-cli")
	_, addr := startServer(t, "tcp", 1, resp.Limits{})
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	tests := []struct {
		args []string
		want string
	}{
		{args: []string{"PING"}, want: "PONG"},
		{args: []string{"SET", "greeting", "hello world"}, want: "OK"},
		{args: []string{"GET", "greeting"}, want: "hello world"},
		{args: []string{"INCR", "visits"}, want: "1"},
		{args: []string{"RPUSH", "list", "a", "b"}, want: "2"},
		{args: []string{"LRANGE", "list", "0", "-1"}, want: "a\nb"},
		{args: []string{"FOO"}, want: "ERR unknown command 'FOO', with args beginning with:"},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, cli, append([]string{"-h", host, "-p", port}, tt.args...)...).CombinedOutput()
		cancel()
		require.NoError(t, err, "redis-cli %q: %s", tt.args, out)
		assert.Equal(t, tt.want, strings.TrimSpace(string(out)), "redis-cli %q", tt.args)
	}
}

func TestRedisBenchmarkRunsWithoutErrors(t *testing.T) {
	benchmark := lookPath(t, "redis-benchmark")
	_, addr := startServer(t, "tcp", 1, resp.Limits{})
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, benchmark, "-h", host, "-p", port,
		"-c", "4", "-n", "2000", "-P", "8", "-t", "ping,set,get,incr,lpush,rpop", "--csv").CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	assert.NotContains(t, text, "WARNING", "the CONFIG GET handshake is answered")
	assert.NotContains(t, text, "rror")
	for _, test := range []string{"PING_MBULK", "SET", "GET", "INCR", "LPUSH", "RPOP"} {
		assert.Contains(t, text, `"`+test+`"`)
	}
}

// TestRepliesMatchRedisServer sends the same requests to redisd and to a redis-server started
// for the test, and compares every reply and whether the connection is closed afterwards.
func TestRepliesMatchRedisServer(t *testing.T) {
	redisServer := lookPath(t, "redis-server")
	socket := filepath.Join(t.TempDir(), "redis.sock")
	cmd := exec.Command(redisServer, "--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no", "--daemonize", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		// Killed on purpose: its exit status says nothing about the test.
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	waitForSocket(t, socket)
	network, addr := startServer(t, "tcp", 1, resp.Limits{})

	cases := []struct {
		request string
		replies int
		closes  bool
	}{
		{request: "FLUSHALL\r\nSET a 1\r\nINCR a\r\nINCRBY a x\r\nINCRBY a 9223372036854775807\r\nDECRBY a -9223372036854775808\r\nGET a\r\n", replies: 7},
		{request: "SET a 1 EX 0\r\nSET a 1 EX x\r\nSET a 1 EX\r\nSET a 1 NX XX\r\nSET a 1 EX 10 PX 100\r\nSET a 1 EX 10 EX 20\r\nTTL a\r\nSET a 1 KEEPTTL EX 1\r\nSET a 1 EXAT 1\r\nTTL a\r\n", replies: 10},
		{request: "MSET a\r\nMSET a 1 b 2\r\nMGET a b c\r\nEXISTS a a c\r\nDEL a c\r\nDBSIZE\r\n", replies: 6},
		{request: "SET e 1\r\nEXPIRE e 100 NX XX\r\nEXPIRE e 100 GT LT\r\nEXPIRE e 100 foo\r\nEXPIRE e 100 XX\r\nEXPIRE e 100 NX\r\nEXPIRE e 50 GT\r\nEXPIRE e 50 LT\r\nTTL e\r\nPTTL nokey\r\nEXPIRE e 0\r\nEXISTS e\r\n", replies: 12},
		{request: "RPUSH l a b c\r\nLPOP l 0\r\nLPOP l -1\r\nLPOP l 2\r\nLPOP nokey\r\nLPOP nokey 2\r\nLRANGE l 0 -1\r\nSET s v\r\nLPUSH s a\r\nLLEN s\r\nGET l\r\nLPUSH l 1 2 3\r\nLRANGE l -2 -1\r\nRPOP l 2\r\n", replies: 14},
		{request: "PING\r\nPING a\r\nPING a b\r\nECHO x\r\nSELECT 0\r\nSELECT 16\r\nSELECT x\r\nFOO a b\r\nCOMMAND COUNT x\r\nCONFIG GET save\r\nCONFIG GET appendonly\r\nCONFIG FOO\r\nFLUSHALL x\r\n", replies: 13},
		{request: "ECHO \"a\\x41\\n\" 'b\\'c'\r\n", replies: 1},
		{request: "ECHO \"a\\x41\\n\"\r\nECHO 'b\\'c' d\r\n\r\n*0\r\n", replies: 2},
		{request: "PING\r\n*1\r\n$4\r\nPINGxx*1\r\n$-1\r\n", replies: 3, closes: true},
		{request: "*x\r\n", replies: 1, closes: true},
		{request: "*1\r\nx3\r\n", replies: 1, closes: true},
		{request: "ECHO \"a\"b\r\n", replies: 1, closes: true},
		{request: "*1\r\n$600000000\r\n", replies: 1, closes: true},
		{request: "QUIT\r\nPING\r\n", replies: 1, closes: true},
	}
	for _, tc := range cases {
		want := exchange(t, dial(t, "unix", socket), tc.request, tc.replies, tc.closes)
		got := exchange(t, dial(t, network, addr), tc.request, tc.replies, tc.closes)
		assert.Equal(t, want, got, "%q", tc.request)
	}
}

func exchange(t *testing.T, c *respClient, request string, replies int, closes bool) []any {
	t.Helper()
	c.send(request)
	out := make([]any, replies)
	for i := range out {
		out[i] = c.read()
	}
	if closes {
		c.readEOF()
	}
	return out
}

// waitForSocket waits, for a bounded time, until a server accepts connections on socket.
func waitForSocket(t *testing.T, socket string) {
	t.Helper()
	for range 200 {
		if conn, err := net.Dial("unix", socket); err == nil {
			require.NoError(t, conn.Close())
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("redis-server did not listen on %s within 5 s", socket)
}
