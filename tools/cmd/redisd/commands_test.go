package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/tools/internal/kvstore"
	"github.com/gnetio/gnet/tools/internal/resp"
)

// The replies below are those redis-server 7.0 gives to the same requests, byte for byte
// (compat_test.go checks that against a live redis-server when one is installed).

type exchangeCase struct {
	name string
	// requests are sent in order, on one connection, each as one read.
	requests []string
	// want is the concatenation of every reply.
	want string
}

func runExchanges(t *testing.T, tests []exchangeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The clock stands still, so that a time to live reads back exactly as it was set.
			now := time.Now()
			h := newHarness(t, resp.Limits{}, kvstore.WithClock(func() time.Time { return now }))
			c := h.open()
			for _, request := range tt.requests {
				_, err := h.feed(c, []byte(request))
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, string(c.Outbound()))
		})
	}
}

func TestConnectionCommandsAnswerLikeRedis(t *testing.T) {
	runExchanges(t, []exchangeCase{
		{name: "PING", requests: []string{"PING\r\n"}, want: "+PONG\r\n"},
		{name: "PING with a message", requests: []string{"PING hello\r\n"}, want: "$5\r\nhello\r\n"},
		{name: "PING with two messages", requests: []string{"PING a b\r\n"}, want: "-ERR wrong number of arguments for 'ping' command\r\n"},
		{name: "ECHO", requests: []string{"*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n"}, want: "$4\r\na\r\nb\r\n"},
		{name: "ECHO without argument", requests: []string{"ECHO\r\n"}, want: "-ERR wrong number of arguments for 'echo' command\r\n"},
		{name: "SELECT 0", requests: []string{"SELECT 0\r\n"}, want: "+OK\r\n"},
		{name: "SELECT another database", requests: []string{"SELECT 1\r\n"}, want: "-ERR DB index is out of range\r\n"},
		{name: "SELECT a word", requests: []string{"SELECT x\r\n"}, want: "-ERR value is not an integer or out of range\r\n"},
		{name: "SELECT beyond 32 bits", requests: []string{"SELECT 99999999999\r\n"}, want: "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"},
		{name: "command names in any case", requests: []string{"pInG\r\n"}, want: "+PONG\r\n"},
		{name: "COMMAND COUNT", requests: []string{"COMMAND COUNT\r\n"}, want: ":28\r\n"},
		{name: "COMMAND COUNT with an argument", requests: []string{"COMMAND COUNT x\r\n"}, want: "-ERR wrong number of arguments for 'command|count' command\r\n"},
		{name: "COMMAND DOCS", requests: []string{"COMMAND DOCS get\r\n"}, want: "*0\r\n"},
		{name: "COMMAND unknown subcommand", requests: []string{"COMMAND foo\r\n"}, want: "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"},
		{name: "CONFIG GET save", requests: []string{"CONFIG GET save\r\n"}, want: "*2\r\n$4\r\nsave\r\n$0\r\n\r\n"},
		{name: "CONFIG GET appendonly", requests: []string{"CONFIG GET appendonly\r\n"}, want: "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n"},
		{name: "CONFIG GET quotes an exact name as spelt", requests: []string{"CONFIG GET SAVE save\r\n"}, want: "*2\r\n$4\r\nSAVE\r\n$0\r\n\r\n"},
		{name: "CONFIG GET pattern", requests: []string{"CONFIG GET app*\r\n"}, want: "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n"},
		{name: "CONFIG GET unknown", requests: []string{"CONFIG GET nosuch\r\n"}, want: "*0\r\n"},
		{name: "CONFIG alone", requests: []string{"CONFIG\r\n"}, want: "-ERR wrong number of arguments for 'config' command\r\n"},
		{name: "CONFIG GET without a name", requests: []string{"CONFIG GET\r\n"}, want: "-ERR wrong number of arguments for 'config|get' command\r\n"},
		{name: "CONFIG SET", requests: []string{"CONFIG SET save x\r\n"}, want: "-ERR unknown subcommand 'SET'. Try CONFIG HELP.\r\n"},
		{name: "DBSIZE", requests: []string{"SET a 1\r\nSET b 2\r\nDBSIZE\r\n"}, want: "+OK\r\n+OK\r\n:2\r\n"},
		{name: "FLUSHALL", requests: []string{"SET a 1\r\nFLUSHALL\r\nDBSIZE\r\nFLUSHALL ASYNC\r\nflushall sync\r\n"}, want: "+OK\r\n+OK\r\n:0\r\n+OK\r\n+OK\r\n"},
		{name: "FLUSHALL with a bad option", requests: []string{"FLUSHALL now\r\n"}, want: "-ERR syntax error\r\n"},
		{
			name:     "unknown command quotes its arguments",
			requests: []string{"FOO a b\r\n"},
			want:     "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n",
		},
		{
			name:     "unknown command quotes at most 128 bytes of arguments",
			requests: []string{"FOO " + strings.Repeat("x", 200) + " b\r\n"},
			want:     "-ERR unknown command 'FOO', with args beginning with: '" + strings.Repeat("x", 128) + "' \r\n",
		},
		{
			name:     "unknown command flattens line breaks",
			requests: []string{"*2\r\n$3\r\nFOO\r\n$4\r\na\r\nb\r\n"},
			want:     "-ERR unknown command 'FOO', with args beginning with: 'a  b' \r\n",
		},
	})
}

func TestStringCommandsAnswerLikeRedis(t *testing.T) {
	runExchanges(t, []exchangeCase{
		{name: "GET missing", requests: []string{"GET k\r\n"}, want: "$-1\r\n"},
		{name: "SET then GET", requests: []string{"SET k v\r\nGET k\r\n"}, want: "+OK\r\n$1\r\nv\r\n"},
		{name: "GET with an extra argument", requests: []string{"GET k extra\r\n"}, want: "-ERR wrong number of arguments for 'get' command\r\n"},
		{name: "SET NX", requests: []string{"SET k a NX\r\nSET k b NX\r\nGET k\r\n"}, want: "+OK\r\n$-1\r\n$1\r\na\r\n"},
		{name: "SET XX", requests: []string{"SET k a XX\r\nSET k b\r\nSET k c xx\r\nGET k\r\n"}, want: "$-1\r\n+OK\r\n+OK\r\n$1\r\nc\r\n"},
		{name: "SET NX XX", requests: []string{"SET k v NX XX\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET repeated NX", requests: []string{"SET k v nx nx\r\n"}, want: "+OK\r\n"},
		{name: "SET unknown option", requests: []string{"SET k v foo\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET EX then TTL", requests: []string{"SET k v EX 100\r\nTTL k\r\n"}, want: "+OK\r\n:100\r\n"},
		{name: "SET PX then PTTL", requests: []string{"SET k v PX 1500\r\nPTTL k\r\n"}, want: "+OK\r\n:1500\r\n"},
		{name: "SET EX twice keeps the last", requests: []string{"SET k v EX 10 EX 20\r\nTTL k\r\n"}, want: "+OK\r\n:20\r\n"},
		{name: "SET EX and PX", requests: []string{"SET k v EX 10 PX 100\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET KEEPTTL and EX", requests: []string{"SET k v KEEPTTL EX 1\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET EX without a value", requests: []string{"SET k v EX\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET EX not a number", requests: []string{"SET k v EX x\r\n"}, want: "-ERR value is not an integer or out of range\r\n"},
		{name: "SET EX syntax checked first", requests: []string{"SET k v EX x NX XX\r\n"}, want: "-ERR syntax error\r\n"},
		{name: "SET EX zero", requests: []string{"SET k v EX 0\r\n"}, want: "-ERR invalid expire time in 'set' command\r\n"},
		{name: "SET PX negative", requests: []string{"SET k v PX -5\r\n"}, want: "-ERR invalid expire time in 'set' command\r\n"},
		{name: "SET EX overflowing milliseconds", requests: []string{"SET k v EX 9223372036854775\r\n"}, want: "-ERR invalid expire time in 'set' command\r\n"},
		{name: "SET PX overflowing now", requests: []string{"SET k v PX 9223372036854775807\r\n"}, want: "-ERR invalid expire time in 'set' command\r\n"},
		{name: "SET EXAT in the past", requests: []string{"SET k v EXAT 1\r\nTTL k\r\n"}, want: "+OK\r\n:-2\r\n"},
		{name: "SET KEEPTTL", requests: []string{"SET k v EX 100\r\nSET k w KEEPTTL\r\nTTL k\r\nSET k x\r\nTTL k\r\n"}, want: "+OK\r\n+OK\r\n:100\r\n+OK\r\n:-1\r\n"},
		{name: "MSET and MGET", requests: []string{"MSET a 1 b 2\r\nMGET a b c\r\n"}, want: "+OK\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n"},
		{name: "MSET odd arguments", requests: []string{"MSET a 1 b\r\n"}, want: "-ERR wrong number of arguments for 'mset' command\r\n"},
		{name: "MGET of a list is nil", requests: []string{"RPUSH l x\r\nMGET l\r\n"}, want: ":1\r\n*1\r\n$-1\r\n"},
		{name: "INCR new key", requests: []string{"INCR n\r\nINCR n\r\n"}, want: ":1\r\n:2\r\n"},
		{name: "DECR", requests: []string{"SET n 10\r\nDECR n\r\n"}, want: "+OK\r\n:9\r\n"},
		{name: "INCRBY", requests: []string{"INCRBY n 5\r\nINCRBY n -7\r\n"}, want: ":5\r\n:-2\r\n"},
		{name: "INCRBY not a number", requests: []string{"INCRBY n x\r\n"}, want: "-ERR value is not an integer or out of range\r\n"},
		{name: "DECRBY", requests: []string{"DECRBY n 3\r\n"}, want: ":-3\r\n"},
		{name: "DECRBY the smallest integer", requests: []string{"DECRBY n -9223372036854775808\r\n"}, want: "-ERR decrement would overflow\r\n"},
		{name: "INCR overflow", requests: []string{"SET n 9223372036854775807\r\nINCR n\r\n"}, want: "+OK\r\n-ERR increment or decrement would overflow\r\n"},
		{name: "INCR of a word", requests: []string{"SET n abc\r\nINCR n\r\n"}, want: "+OK\r\n-ERR value is not an integer or out of range\r\n"},
		{name: "INCR of a leading zero", requests: []string{"SET n 01\r\nINCR n\r\n"}, want: "+OK\r\n-ERR value is not an integer or out of range\r\n"},
		{name: "INCR of a list", requests: []string{"RPUSH l x\r\nINCR l\r\n"}, want: ":1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{name: "GET of a list", requests: []string{"RPUSH l x\r\nGET l\r\n"}, want: ":1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{name: "SET over a list", requests: []string{"RPUSH l x\r\nSET l v\r\nGET l\r\n"}, want: ":1\r\n+OK\r\n$1\r\nv\r\n"},
	})
}

func TestKeyCommandsAnswerLikeRedis(t *testing.T) {
	runExchanges(t, []exchangeCase{
		{name: "DEL counts existing keys", requests: []string{"MSET a 1 b 2\r\nDEL a a b c\r\nDEL a\r\n"}, want: "+OK\r\n:2\r\n:0\r\n"},
		{name: "EXISTS counts repeats", requests: []string{"SET a 1\r\nEXISTS a a b\r\n"}, want: "+OK\r\n:2\r\n"},
		{name: "EXISTS without keys", requests: []string{"EXISTS\r\n"}, want: "-ERR wrong number of arguments for 'exists' command\r\n"},
		{name: "EXPIRE then TTL", requests: []string{"SET a 1\r\nEXPIRE a 100\r\nTTL a\r\n"}, want: "+OK\r\n:1\r\n:100\r\n"},
		{name: "EXPIRE missing key", requests: []string{"EXPIRE a 100\r\n"}, want: ":0\r\n"},
		{name: "EXPIRE zero deletes", requests: []string{"SET a 1\r\nEXPIRE a 0\r\nEXISTS a\r\n"}, want: "+OK\r\n:1\r\n:0\r\n"},
		{name: "EXPIRE NX", requests: []string{"SET a 1\r\nEXPIRE a 100 NX\r\nEXPIRE a 50 nx\r\nTTL a\r\n"}, want: "+OK\r\n:1\r\n:0\r\n:100\r\n"},
		{name: "EXPIRE XX", requests: []string{"SET a 1\r\nEXPIRE a 100 XX\r\nTTL a\r\n"}, want: "+OK\r\n:0\r\n:-1\r\n"},
		{name: "EXPIRE GT and LT", requests: []string{"SET a 1\r\nEXPIRE a 100\r\nEXPIRE a 50 GT\r\nEXPIRE a 150 GT\r\nEXPIRE a 50 LT\r\nTTL a\r\n"}, want: "+OK\r\n:1\r\n:0\r\n:1\r\n:1\r\n:50\r\n"},
		{name: "EXPIRE NX with XX", requests: []string{"EXPIRE a 100 NX XX\r\n"}, want: "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n"},
		{name: "EXPIRE GT with LT", requests: []string{"EXPIRE a 100 GT LT\r\n"}, want: "-ERR GT and LT options at the same time are not compatible\r\n"},
		{name: "EXPIRE unknown option", requests: []string{"EXPIRE a 100 foo\r\n"}, want: "-ERR Unsupported option foo\r\n"},
		{name: "EXPIRE not a number", requests: []string{"EXPIRE a x\r\n"}, want: "-ERR value is not an integer or out of range\r\n"},
		{name: "EXPIRE overflow", requests: []string{"EXPIRE a 9223372036854775807\r\nEXPIRE a -9223372036854775807\r\n"}, want: "-ERR invalid expire time in 'expire' command\r\n-ERR invalid expire time in 'expire' command\r\n"},
		{name: "PEXPIRE", requests: []string{"SET a 1\r\nPEXPIRE a 2500\r\nPTTL a\r\nTTL a\r\n"}, want: "+OK\r\n:1\r\n:2500\r\n:3\r\n"},
		{name: "TTL missing and persistent", requests: []string{"SET a 1\r\nTTL a\r\nTTL b\r\nPTTL b\r\n"}, want: "+OK\r\n:-1\r\n:-2\r\n:-2\r\n"},
	})
}

func TestListCommandsAnswerLikeRedis(t *testing.T) {
	runExchanges(t, []exchangeCase{
		{name: "RPUSH and LRANGE", requests: []string{"RPUSH l a b c\r\nLRANGE l 0 -1\r\n"}, want: ":3\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
		{name: "LPUSH order", requests: []string{"LPUSH l a b\r\nLRANGE l 0 -1\r\n"}, want: ":2\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n"},
		{name: "LRANGE missing key", requests: []string{"LRANGE l 0 -1\r\n"}, want: "*0\r\n"},
		{name: "LRANGE empty range", requests: []string{"RPUSH l a\r\nLRANGE l 3 1\r\n"}, want: ":1\r\n*0\r\n"},
		{name: "LRANGE not a number", requests: []string{"LRANGE l x 1\r\n"}, want: "-ERR value is not an integer or out of range\r\n"},
		{name: "LPOP one", requests: []string{"RPUSH l a b\r\nLPOP l\r\nRPOP l\r\nLPOP l\r\n"}, want: ":2\r\n$1\r\na\r\n$1\r\nb\r\n$-1\r\n"},
		{name: "LPOP count", requests: []string{"RPUSH l a b c\r\nLPOP l 2\r\nRPOP l 5\r\n"}, want: ":3\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n$1\r\nc\r\n"},
		{name: "LPOP count zero", requests: []string{"RPUSH l a\r\nLPOP l 0\r\nLPOP m 0\r\n"}, want: ":1\r\n*0\r\n*-1\r\n"},
		{name: "LPOP count of a missing key", requests: []string{"LPOP l 2\r\n"}, want: "*-1\r\n"},
		{name: "LPOP negative count", requests: []string{"LPOP l -1\r\nLPOP l x\r\n"}, want: "-ERR value is out of range, must be positive\r\n-ERR value is out of range, must be positive\r\n"},
		{name: "LPOP too many arguments", requests: []string{"LPOP l 1 2\r\n"}, want: "-ERR wrong number of arguments for 'lpop' command\r\n"},
		{name: "LLEN", requests: []string{"RPUSH l a b\r\nLLEN l\r\nLLEN m\r\n"}, want: ":2\r\n:2\r\n:0\r\n"},
		{name: "list commands on a string", requests: []string{"SET s v\r\nLPUSH s a\r\nLRANGE s 0 1\r\nLLEN s\r\nLPOP s\r\n"}, want: "+OK\r\n" + strings.Repeat("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", 4)},
	})
}

func TestProtocolErrorIsAnsweredAfterEarlierCommandsThenCloses(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	action, err := h.feed(c, []byte("PING\r\nSET a 1\r\n*1\r\n$-1\r\nPING\r\n"))
	require.NoError(t, err)
	assert.Equal(t, api.Close, action)
	assert.Equal(t, "+PONG\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n", string(c.Outbound()))
	assert.Empty(t, c.Read(), "nothing after the fault is kept")
}

func TestBulkAboveMaxBulkIsAProtocolError(t *testing.T) {
	h := newHarness(t, resp.Limits{MaxBulk: 16})
	c := h.open()
	action, err := h.feed(c, []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$17\r\n"))
	require.NoError(t, err)
	assert.Equal(t, api.Close, action)
	assert.Equal(t, "-ERR Protocol error: invalid bulk length\r\n", string(c.Outbound()))
}

func TestQuitRepliesThenClosesSkippingLaterCommands(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	action, err := h.feed(c, []byte("SET a 1\r\nQUIT\r\nSET b 2\r\n"))
	require.NoError(t, err)
	assert.Equal(t, api.Close, action)
	assert.Equal(t, "+OK\r\n+OK\r\n", string(c.Outbound()))
	assert.False(t, h.srv.store.Exists([]byte("b")))
}

func TestCommandsSplitAcrossReadsAreAnsweredOnceWhole(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	request := "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\nGET k\r\n"
	for i := range len(request) {
		_, err := h.feed(c, []byte{request[i]})
		require.NoError(t, err)
	}
	assert.Equal(t, "+OK\r\n$5\r\nvalue\r\n", string(c.Outbound()))
}

func TestPipelinedRepliesLeaveInOneWrite(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	_, err := h.feed(c, []byte(strings.Repeat("PING\r\n", 100)))
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("+PONG\r\n", 100), string(c.Outbound()))
	assert.Equal(t, 1, c.Writes())
}

func TestALargeValueIsWrittenWithoutTheReplyBuffer(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	value := strings.Repeat("v", 1<<20)
	_, err := h.feed(c, []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n"+value+"\r\nGET k\r\nPING\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n$1048576\r\n"+value+"\r\n+PONG\r\n", string(c.Outbound()))
	s := c.Context().(*session)
	assert.Less(t, cap(s.reply), 1<<20, "the value did not pass through the reply buffer")
}

func TestAFailedWriteClosesTheConnection(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	c.FailWrites(assert.AnError)
	action, err := h.feed(c, []byte("PING\r\nPING\r\n"))
	require.NoError(t, err)
	assert.Equal(t, api.Close, action)
}

func TestKeysExpireOnTheStoreClock(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	h := newHarness(t, resp.Limits{}, kvstore.WithClock(func() time.Time { return now }))
	c := h.open()
	_, err := h.feed(c, []byte("SET k v PX 100\r\n"))
	require.NoError(t, err)
	now = now.Add(101 * time.Millisecond)
	_, err = h.feed(c, []byte("GET k\r\nTTL k\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n$-1\r\n:-2\r\n", string(c.Outbound()))
}

func TestTickRunsTheExpiryCycle(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	h := newHarness(t, resp.Limits{}, kvstore.WithClock(func() time.Time { return now }))
	c := h.open()
	_, err := h.feed(c, []byte("SET k v PX 100\r\nSET p v\r\n"))
	require.NoError(t, err)
	now = now.Add(time.Second)
	delay, action := h.srv.Tick()
	assert.Equal(t, expiryInterval, delay)
	assert.Equal(t, api.None, action)
	assert.Equal(t, 1, h.srv.store.Len(), "the expired key was removed without being touched")
}

func TestReactWithoutADecodedBatchDoesNothing(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	assert.Equal(t, api.None, h.srv.React(nil, c))
	assert.Empty(t, c.Outbound())
}

func TestDecodeWithoutASessionFails(t *testing.T) {
	_, err := respCodec{}.Decode(bufferedConn([]byte("PING\r\n")))
	assert.ErrorIs(t, err, errNoSession)
}

func TestClosedConnectionDropsItsSession(t *testing.T) {
	h := newHarness(t, resp.Limits{})
	c := h.open()
	h.srv.OnClosed(c, nil)
	assert.Nil(t, c.Context())
}
