package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendWritesEachReplyTypeInRESP2(t *testing.T) {
	tests := []struct {
		name string
		got  []byte
		want string
	}{
		{name: "simple string", got: AppendSimple(nil, "OK"), want: "+OK\r\n"},
		{name: "error", got: AppendError(nil, "ERR syntax error"), want: "-ERR syntax error\r\n"},
		{name: "error with line breaks flattened", got: AppendError(nil, "ERR a\r\nb"), want: "-ERR a  b\r\n"},
		{name: "protocol error", got: AppendProtocolError(nil, ErrInvalidBulkLength), want: "-ERR Protocol error: invalid bulk length\r\n"},
		{name: "protocol error quoting CR", got: AppendProtocolError(nil, expectedBulkError('\r')), want: "-ERR Protocol error: expected '$', got ' '\r\n"},
		{name: "integer", got: AppendInt(nil, 42), want: ":42\r\n"},
		{name: "negative integer", got: AppendInt(nil, -2), want: ":-2\r\n"},
		{name: "smallest integer", got: AppendInt(nil, math.MinInt64), want: ":-9223372036854775808\r\n"},
		{name: "bulk string from bytes", got: AppendBulk(nil, []byte("a\r\nb")), want: "$4\r\na\r\nb\r\n"},
		{name: "bulk string from string", got: AppendBulk(nil, "hi"), want: "$2\r\nhi\r\n"},
		{name: "empty bulk string", got: AppendBulk(nil, ""), want: "$0\r\n\r\n"},
		{name: "bulk header", got: AppendBulkHeader(nil, 1024), want: "$1024\r\n"},
		{name: "null", got: AppendNull(nil), want: "$-1\r\n"},
		{name: "array header", got: AppendArrayHeader(nil, 3), want: "*3\r\n"},
		{name: "empty array", got: AppendArrayHeader(nil, 0), want: "*0\r\n"},
		{name: "sanitized text", got: AppendSanitized([]byte("x"), []byte("\r\n\n")), want: "x   "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(tt.got))
		})
	}
}

func TestAppendExtendsWhatIsAlreadyThere(t *testing.T) {
	dst := AppendSimple(nil, "OK")
	dst = AppendInt(dst, 1)
	dst = AppendNull(dst)
	assert.Equal(t, "+OK\r\n:1\r\n$-1\r\n", string(dst))
}
