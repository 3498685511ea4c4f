package resp

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseIntAcceptsExactlyWhatRedisAccepts(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  int64
		ok    bool
	}{
		{name: "zero", input: "0", want: 0, ok: true},
		{name: "one digit", input: "7", want: 7, ok: true},
		{name: "negative", input: "-42", want: -42, ok: true},
		{name: "largest", input: "9223372036854775807", want: math.MaxInt64, ok: true},
		{name: "smallest", input: "-9223372036854775808", want: math.MinInt64, ok: true},
		{name: "empty", input: ""},
		{name: "lone minus", input: "-"},
		{name: "plus sign", input: "+1"},
		{name: "leading space", input: " 1"},
		{name: "trailing space", input: "1 "},
		{name: "leading zero", input: "01"},
		{name: "negative zero", input: "-0"},
		{name: "letter", input: "1a"},
		{name: "one past largest", input: "9223372036854775808"},
		{name: "one past smallest", input: "-9223372036854775809"},
		{name: "20 digits beyond uint64", input: "99999999999999999999"},
		{name: "21 bytes", input: "-99999999999999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseInt([]byte(tt.input))
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
