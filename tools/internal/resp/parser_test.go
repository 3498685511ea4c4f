package resp

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReturnsEveryRequestForm(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  [][]string
	}{
		{name: "array of bulk strings", input: "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", want: [][]string{{"GET", "key"}}},
		{name: "empty bulk string", input: "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", want: [][]string{{"ECHO", ""}}},
		{name: "binary bulk string holding CRLF", input: "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n", want: [][]string{{"ECHO", "a\r\nb"}}},
		{name: "bulk terminator not checked, as in Redis", input: "*1\r\n$4\r\nPINGxx", want: [][]string{{"PING"}}},
		{name: "header ends at CR whatever follows, as in Redis", input: "*1\rX$4\rXPING\r\n", want: [][]string{{"PING"}}},
		{name: "empty array ignored", input: "*0\r\n*1\r\n$4\r\nPING\r\n", want: [][]string{{"PING"}}},
		{name: "null array ignored", input: "*-1\r\n*1\r\n$4\r\nPING\r\n", want: [][]string{{"PING"}}},
		{name: "inline", input: "SET k v\r\n", want: [][]string{{"SET", "k", "v"}}},
		{name: "inline ending in LF only", input: "PING\n", want: [][]string{{"PING"}}},
		{name: "inline with surrounding blanks", input: "  GET \t k  \r\n", want: [][]string{{"GET", "k"}}},
		{name: "blank inline lines ignored", input: "\r\n\n  \r\nPING\r\n", want: [][]string{{"PING"}}},
		{name: "inline CR splits words", input: "PING a\rb\r\n", want: [][]string{{"PING", "a", "b"}}},
		{name: "inline vertical tab inside a word", input: "ECHO a\vb\r\n", want: [][]string{{"ECHO", "a\vb"}}},
		{name: "inline vertical tab between words", input: "ECHO\t\va\r\n", want: [][]string{{"ECHO", "a"}}},
		{name: "inline double quotes", input: `SET k "hello world"` + "\r\n", want: [][]string{{"SET", "k", "hello world"}}},
		{name: "inline double-quote escapes", input: `ECHO "a\x41\n\r\t\b\a\"\\\q"` + "\r\n", want: [][]string{{"ECHO", "aA\n\r\t\b\a\"\\q"}}},
		{name: "inline incomplete hex escape kept", input: `ECHO "\x4"` + "\r\n", want: [][]string{{"ECHO", "x4"}}},
		{name: "inline bad hex escape kept", input: `ECHO "\xZZ"` + "\r\n", want: [][]string{{"ECHO", "xZZ"}}},
		{name: "inline single quotes", input: `ECHO 'a\'b\n'` + "\r\n", want: [][]string{{"ECHO", `a'b\n`}}},
		{name: "inline empty quotes", input: `ECHO "" ''` + "\r\n", want: [][]string{{"ECHO", "", ""}}},
		{name: "inline quote inside a word joins it", input: `ECHO ab"c d"` + "\r\n", want: [][]string{{"ECHO", "abc d"}}},
		{name: "inline NUL ends the line", input: "ECHO a\x00 b c\r\n", want: [][]string{{"ECHO", "a"}}},
		{
			name:  "pipeline of both forms",
			input: "*1\r\n$4\r\nPING\r\nGET a\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$2\r\nxy\r\nDEL a b\n",
			want:  [][]string{{"PING"}, {"GET", "a"}, {"SET", "b", "xy"}, {"DEL", "a", "b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(Limits{})
			n, err := p.Parse([]byte(tt.input))
			require.NoError(t, err)
			assert.Equal(t, len(tt.input), n, "every byte consumed")
			var got [][]string
			for i := range p.Len() {
				got = append(got, argStrings(p.Command([]byte(tt.input), 0, i, nil)))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseConsumesNothingUntilACommandIsWhole(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		wantNeed int
	}{
		{name: "nothing", input: "", wantNeed: 1},
		{name: "array header without CR", input: "*2", wantNeed: 3},
		{name: "array header without LF", input: "*2\r", wantNeed: 4},
		{name: "bulk header missing", input: "*2\r\n", wantNeed: 5},
		{name: "bulk header without CR", input: "*1\r\n$4", wantNeed: 7},
		{name: "bulk body short", input: "*1\r\n$4\r\nPI", wantNeed: 14},
		{name: "bulk terminator missing", input: "*1\r\n$4\r\nPING", wantNeed: 14},
		{name: "bulk terminator half there", input: "*1\r\n$4\r\nPING\r", wantNeed: 14},
		{name: "second bulk short", input: "*2\r\n$3\r\nGET\r\n$5\r\nab", wantNeed: 24},
		{name: "type byte checked only on a whole line", input: "*1\r\nx3", wantNeed: 7},
		{name: "inline without line end", input: "PING", wantNeed: 5},
		{name: "inline ending in CR only", input: "PING\r", wantNeed: 6},
		{name: "inline unbalanced quote waits for the line end", input: `ECHO "abc`, wantNeed: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(Limits{})
			n, err := p.Parse([]byte(tt.input))
			require.NoError(t, err)
			assert.Zero(t, n)
			assert.Zero(t, p.Len())
			assert.Equal(t, tt.wantNeed, p.Need())
		})
	}
}

// pipeline mixes every form and the awkward cases of each, for the split tests.
const pipeline = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n" +
	"GET key\r\n" +
	"*0\r\n" +
	"\r\n" +
	`ECHO "quoted \x41" 'single'` + "\n" +
	"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n" +
	"*1\r\n$4\r\nPING\r\n"

var pipelineCommands = [][]string{
	{"SET", "key", "va\r\nl"},
	{"GET", "key"},
	{"ECHO", "quoted A", "single"},
	{"ECHO", ""},
	{"PING"},
}

func TestParsePipelineSplitAtEveryByteBoundary(t *testing.T) {
	input := []byte(pipeline)
	for offset := 0; offset <= len(input); offset++ {
		got := parseStream(t, NewParser(Limits{}), splitAt(input, offset)...)
		require.NoError(t, got.err, "split at %d", offset)
		require.Equal(t, pipelineCommands, got.commands, "split at %d", offset)
	}
}

func TestParsePipelineSplitAtEveryPairOfBoundaries(t *testing.T) {
	input := []byte(pipeline)
	for first := 0; first <= len(input); first++ {
		for second := first; second <= len(input); second++ {
			got := parseStream(t, NewParser(Limits{}), splitAt(input, first, second)...)
			require.NoError(t, got.err, "split at %d and %d", first, second)
			require.Equal(t, pipelineCommands, got.commands, "split at %d and %d", first, second)
		}
	}
}

func TestParsePipelineDeliveredOneByteAtATime(t *testing.T) {
	got := parseStream(t, NewParser(Limits{}), bytewise([]byte(pipeline))...)
	require.NoError(t, got.err)
	assert.Equal(t, pipelineCommands, got.commands)
}

func TestParseReturnsAtMostMaxBatchCommandsAndResumes(t *testing.T) {
	input := []byte(strings.Repeat("*1\r\n$4\r\nPING\r\n", 10))
	p := NewParser(Limits{MaxBatch: 3})
	n, err := p.Parse(input)
	require.NoError(t, err)
	assert.Equal(t, 3, p.Len())
	assert.Equal(t, 3*14, n)
	assert.Zero(t, p.Need(), "more whole commands are buffered")

	got := parseStream(t, NewParser(Limits{MaxBatch: 3}), input)
	require.NoError(t, got.err)
	assert.Len(t, got.commands, 10)
}

func TestCommandArgumentsDoNotOverwriteEachOtherWhenAppendedTo(t *testing.T) {
	input := []byte("*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	p := NewParser(Limits{})
	_, err := p.Parse(input)
	require.NoError(t, err)
	argv := p.Command(input, 0, 0, nil)
	_ = append(argv[0], 'X') // the capacity of an argument ends where it does
	assert.Equal(t, "b", string(argv[1]))
	assert.Equal(t, byte('\r'), input[9], "the buffer is untouched")
}

func TestParseHoldsNoMemoryForAnAnnouncedButUnsentArray(t *testing.T) {
	p := NewParser(Limits{})
	n, err := p.Parse([]byte("*1000000\r\n$1\r\nx\r\n"))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Less(t, cap(p.args), 64, "argument slots are made for arguments seen, not announced")
}

func TestParseAcceptsBulkStringsUpToMaxBulk(t *testing.T) {
	value := bytes.Repeat([]byte{'v'}, 100)
	input := append([]byte("*2\r\n$4\r\nECHO\r\n$100\r\n"), value...)
	input = append(input, "\r\n"...)
	got := parseStream(t, NewParser(Limits{MaxBulk: 100}), input)
	require.NoError(t, got.err)
	assert.Equal(t, [][]string{{"ECHO", string(value)}}, got.commands)
}

func TestResetLetsAParserStartANewStream(t *testing.T) {
	p := NewParser(Limits{})
	_, err := p.Parse([]byte("*2\r\n$3\r\nGET\r\n$3\r\nke"))
	require.NoError(t, err)
	p.Reset()
	got := parseStream(t, p, []byte("PING\r\n"))
	require.NoError(t, got.err)
	assert.Equal(t, [][]string{{"PING"}}, got.commands)
}

func TestEndLocatesEachCommandAndTheLastCoversTheWholeBatch(t *testing.T) {
	first, blank, second, empty := "PING\r\n", "\r\n", "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n", "*0\r\n"
	input := []byte(first + blank + second + empty + "*1\r\n$4\r\nPI")
	p := NewParser(Limits{})
	n, err := p.Parse(input)
	require.NoError(t, err)
	require.Equal(t, 2, p.Len())
	assert.Equal(t, len(first), p.End(0))
	assert.Equal(t, len(first+blank+second+empty), p.End(1), "requests without arguments after the last command are its")
	assert.Equal(t, n, p.End(1))
}

func TestCommandReadsFromTheBufferLeftOnceEarlierCommandsAreConsumed(t *testing.T) {
	input := []byte("*2\r\n$3\r\nGET\r\n$1\r\na\r\nECHO \"b c\"\r\n*2\r\n$3\r\nGET\r\n$1\r\nd\r\n")
	p := NewParser(Limits{})
	_, err := p.Parse(input)
	require.NoError(t, err)
	require.Equal(t, 3, p.Len())
	var got [][]string
	for i := range p.Len() {
		from := 0
		if i > 0 {
			from = p.End(i - 1)
		}
		got = append(got, argStrings(p.Command(input[from:], from, i, nil)))
	}
	assert.Equal(t, [][]string{{"GET", "a"}, {"ECHO", "b c"}, {"GET", "d"}}, got)
}

func TestResetAfterConsumingPartOfABatchParsesTheRestAgain(t *testing.T) {
	input := []byte(strings.Repeat("*1\r\n$4\r\nPING\r\n", 4) + "*2\r\n$4\r\nECHO\r\n$3\r\nab")
	p := NewParser(Limits{})
	_, err := p.Parse(input)
	require.NoError(t, err)
	require.Equal(t, 4, p.Len())
	rest := input[p.End(0):]
	p.Reset()

	n, err := p.Parse(rest)
	require.NoError(t, err)
	assert.Equal(t, 3, p.Len(), "the three commands not consumed")
	assert.Equal(t, 3*14, n)
	assert.Equal(t, len(rest)-n+3, p.Need(), "the unfinished ECHO is awaited again, from its start")
}
