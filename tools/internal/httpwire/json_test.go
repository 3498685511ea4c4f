package httpwire

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingJSON is what encoding/json writes for v, without HTML escaping and the newline.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{name: "plain", input: "Hello, World!"},
		{name: "empty", input: ""},
		{name: "quotes and backslashes", input: `say "hi" \o/`},
		{name: "common control characters", input: "a\nb\rc\td"},
		{name: "other control characters", input: "\x00\x01\x1f\x7f"},
		{name: "multi-byte UTF-8", input: "héllo, 世界 🌍"},
		{name: "invalid UTF-8", input: "a\xffb\xc3"},
		{name: "line and paragraph separators", input: "a\u2028b\u2029c"},
		{name: "HTML characters stay", input: "<a href='x'>&</a>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, encodingJSON(t, tt.input), string(AppendJSONString(nil, tt.input)))
		})
	}
}

func TestAppendMessageJSONWritesTheMessageObject(t *testing.T) {
	got := AppendMessageJSON([]byte("prefix:"), HelloWorld)
	assert.Equal(t, `prefix:{"message":"Hello, World!"}`, string(got))
	var decoded struct{ Message string }
	require.NoError(t, json.Unmarshal(got[len("prefix:"):], &decoded))
	assert.Equal(t, HelloWorld, decoded.Message)
}
