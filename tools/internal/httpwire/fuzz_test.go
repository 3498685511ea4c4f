package httpwire

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseRequest checks, for any input, that Parse does not panic, never claims more bytes
// than it was given, ignores what follows a request, and that a request it accepts, written
// back in canonical form, parses to the same request. Seeds live in
// testdata/fuzz/FuzzParseRequest.
func FuzzParseRequest(f *testing.F) {
	limits := Limits{MaxHeaderBytes: 1024, MaxHeaders: 16, MaxBodyBytes: 1024}
	p := newTestParser(f, limits)
	// The canonical form can be longer than the input (": " where ":" was), so it is
	// re-parsed with room for that.
	roomy := newTestParser(f, Limits{MaxHeaderBytes: 4 * limits.MaxHeaderBytes, MaxHeaders: limits.MaxHeaders, MaxBodyBytes: limits.MaxBodyBytes})
	f.Fuzz(func(t *testing.T, input []byte) {
		var req Request
		n, err := p.Parse(input, &req)
		if err != nil {
			require.Zero(t, n)
			if !errors.Is(err, ErrIncomplete) {
				require.NotZero(t, StatusOf(err), "every rejection has a status: %v", err)
			}
			return
		}
		require.Positive(t, n)
		require.LessOrEqual(t, n, len(input))
		first := snapshot(&req)

		var again Request
		m, err := p.Parse(append(input[:n:n], "GARBAGE"...), &again)
		require.NoError(t, err, "bytes after a request change nothing")
		require.Equal(t, n, m)
		require.Equal(t, first, snapshot(&again))

		canonical := serialize(&req)
		m, err = roomy.Parse(canonical, &again)
		require.NoError(t, err, "canonical form %q", canonical)
		require.Equal(t, len(canonical), m)
		require.Equal(t, first, snapshot(&again))
	})
}
