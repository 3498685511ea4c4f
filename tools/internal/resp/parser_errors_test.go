package resp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReportsEveryProtocolErrorInRedisWords(t *testing.T) {
	long := strings.Repeat("a", MaxInlineSize+1)
	tests := []struct {
		name       string
		limits     Limits
		input      string
		wantErr    error
		wantReason string
		// wantBefore are the commands that precede the fault, still returned.
		wantBefore [][]string
	}{
		{name: "array count not a number", input: "*x\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array count empty", input: "*\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array count with leading zero", input: "*01\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array count with a space", input: "* 1\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array count above the limit", limits: Limits{MaxMultibulk: 2}, input: "*3\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array count beyond int64", input: "*99999999999999999999\r\n", wantErr: ErrInvalidMultibulkLength, wantReason: "invalid multibulk length"},
		{name: "array header too long", input: "*" + long, wantErr: ErrTooBigMultibulkCount, wantReason: "too big mbulk count string"},
		{name: "element not a bulk string", input: "*1\r\nx3\r\n", wantErr: ErrExpectedBulk, wantReason: "expected '$', got 'x'"},
		{name: "element starting with CR", input: "*1\r\n\r\n", wantErr: ErrExpectedBulk, wantReason: "expected '$', got '\r'"},
		{name: "bulk length negative", input: "*1\r\n$-1\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk length with plus sign", input: "*1\r\n$+4\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk length with a space", input: "*1\r\n$ 4\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk length not a number", input: "*1\r\n$four\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk length above the limit", limits: Limits{MaxBulk: 10}, input: "*1\r\n$11\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk length above 512 MiB", input: "*1\r\n$536870913\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "bulk header too long", input: "*1\r\n$" + long, wantErr: ErrTooBigBulkCount, wantReason: "too big bulk count string"},
		{name: "bulk header ending in LF only", input: "*1\r\n$4\nPING\r\n", wantErr: ErrInvalidBulkLength, wantReason: "invalid bulk length"},
		{name: "inline too long", input: long, wantErr: ErrTooBigInline, wantReason: "too big inline request"},
		{name: "inline unclosed double quote", input: "ECHO \"abc\r\n", wantErr: ErrUnbalancedQuotes, wantReason: "unbalanced quotes in request"},
		{name: "inline unclosed single quote", input: "ECHO 'abc\r\n", wantErr: ErrUnbalancedQuotes, wantReason: "unbalanced quotes in request"},
		{name: "inline closing quote joined to a word", input: "ECHO \"a\"b\r\n", wantErr: ErrUnbalancedQuotes, wantReason: "unbalanced quotes in request"},
		{name: "inline closing single quote joined to a word", input: "ECHO 'a'b\r\n", wantErr: ErrUnbalancedQuotes, wantReason: "unbalanced quotes in request"},
		{name: "inline quote cut by NUL", input: "ECHO \"a\x00b\"\r\n", wantErr: ErrUnbalancedQuotes, wantReason: "unbalanced quotes in request"},
		{
			name:       "fault after whole commands",
			input:      "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$-5\r\n",
			wantErr:    ErrInvalidBulkLength,
			wantReason: "invalid bulk length",
			wantBefore: [][]string{{"PING"}, {"PING"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseStream(t, NewParser(tt.limits), []byte(tt.input))
			require.ErrorIs(t, got.err, tt.wantErr)
			var protocolErr *ProtocolError
			require.ErrorAs(t, got.err, &protocolErr)
			assert.Equal(t, tt.wantReason, protocolErr.Reason())
			assert.Equal(t, tt.wantBefore, got.commands)

			// Delivered byte by byte, the fault is found all the same.
			got = parseStream(t, NewParser(tt.limits), bytewise([]byte(tt.input))...)
			require.ErrorIs(t, got.err, tt.wantErr)
			assert.Equal(t, tt.wantBefore, got.commands)
		})
	}
}

func TestParseWaitsUpToMaxInlineSizeForALineEnd(t *testing.T) {
	for _, input := range []string{
		strings.Repeat("a", MaxInlineSize),
		"*" + strings.Repeat("1", MaxInlineSize-1),
		"*1\r\n$" + strings.Repeat("1", MaxInlineSize-1),
	} {
		p := NewParser(Limits{})
		n, err := p.Parse([]byte(input))
		require.NoError(t, err, "%.8q…", input)
		assert.Zero(t, n)
	}
}

func TestProtocolErrorsNameThemselvesLikeEveryGnetError(t *testing.T) {
	assert.Equal(t, "gnet: RESP protocol error: invalid bulk length", ErrInvalidBulkLength.Error())
	err := expectedBulkError('x')
	assert.ErrorIs(t, err, ErrExpectedBulk)
	assert.Equal(t, "gnet: RESP protocol error: expected '$', got 'x'", err.Error())
}

func TestLimitsCheckRejectsNegativesAndBulkAbove512MiB(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		valid  bool
	}{
		{name: "zero values mean defaults", limits: Limits{}, valid: true},
		{name: "512 MiB bulk", limits: Limits{MaxBulk: MaxBulkLimit}, valid: true},
		{name: "bulk above 512 MiB", limits: Limits{MaxBulk: MaxBulkLimit + 1}},
		{name: "negative bulk", limits: Limits{MaxBulk: -1}},
		{name: "negative multibulk", limits: Limits{MaxMultibulk: -1}},
		{name: "negative batch", limits: Limits{MaxBatch: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limits.Check()
			if tt.valid {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalidLimits)
			}
		})
	}
}
