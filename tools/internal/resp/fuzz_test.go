package resp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseCommand feeds arbitrary bytes to the parser and checks what must hold for any
// input: no panic; the same commands and the same fault whether the bytes arrive at once, cut
// at one place, or (when short) one by one, and whether the caller takes whole batches or
// stops after two commands of each; and every command read back unchanged from its
// own re-encoding as an array of bulk strings. The seed corpus is in testdata/fuzz.
func FuzzParseCommand(f *testing.F) {
	limits := Limits{MaxBulk: 1 << 10, MaxMultibulk: 64, MaxBatch: 4}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		whole := parseStream(t, NewParser(limits), data)

		offset := int(cut) % (len(data) + 1)
		split := parseStream(t, NewParser(limits), splitAt(data, offset)...)
		requireSameStream(t, whole, split, "cut at %d", offset)

		stopping := parseStreamStoppingEarly(t, NewParser(limits), splitAt(data, offset)...)
		requireSameStream(t, whole, stopping, "stopping after two commands of each batch, cut at %d", offset)

		if len(data) <= 512 {
			trickled := parseStream(t, NewParser(limits), bytewise(data)...)
			requireSameStream(t, whole, trickled, "one byte at a time")
		}

		var encoded []byte
		for _, command := range whole.commands {
			require.NotEmpty(t, command, "a command has at least its name")
			encoded = AppendArrayHeader(encoded, len(command))
			for _, arg := range command {
				encoded = AppendBulk(encoded, arg)
			}
		}
		again := parseStream(t, NewParser(Limits{}), encoded)
		require.NoError(t, again.err)
		require.Equal(t, whole.commands, again.commands, "re-encoded commands read back unchanged")
	})
}

func requireSameStream(t *testing.T, want, got streamResult, context string, args ...any) {
	t.Helper()
	require.Equal(t, want.commands, got.commands, append([]any{context}, args...)...)
	if want.err == nil {
		require.NoError(t, got.err, append([]any{context}, args...)...)
		return
	}
	require.Error(t, got.err, append([]any{context}, args...)...)
	require.Equal(t, want.err.Error(), got.err.Error(), append([]any{context}, args...)...)
}
