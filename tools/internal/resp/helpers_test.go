package resp

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// streamResult is what a parser made of a stream: every command's arguments, and the error
// that ended it, if any.
type streamResult struct {
	commands [][]string
	err      error
}

// parseStream delivers chunks to p the way the engine delivers a connection's reads: bytes
// accumulate, Parse runs after each arrival until it consumes nothing, and consumed bytes are
// dropped. It also checks Need: while fewer bytes than it says are buffered, Parse must not
// progress.
func parseStream(t *testing.T, p *Parser, chunks ...[]byte) streamResult {
	t.Helper()
	var result streamResult
	var buffered []byte
	var argv [][]byte
	for _, chunk := range chunks {
		buffered = append(buffered, chunk...)
		for {
			need := p.Need()
			n, err := p.Parse(buffered)
			if len(buffered) < need {
				require.Zero(t, n, "Parse progressed with fewer bytes than Need said")
				require.NoError(t, err, "Parse failed with fewer bytes than Need said")
			}
			for i := range p.Len() {
				argv = p.Command(buffered, 0, i, argv[:0])
				result.commands = append(result.commands, argStrings(argv))
			}
			if err != nil {
				result.err = err
				return result
			}
			if n == 0 {
				break
			}
			buffered = buffered[n:]
		}
	}
	return result
}

// parseStreamStoppingEarly is parseStream for a caller that executes at most two commands of
// each batch, as a server does whose client stops reading: it reads the second command from
// the buffer with the first consumed, consumes through the last command it took, and calls
// Reset, so that the next Parse starts again from the first command not taken.
func parseStreamStoppingEarly(t *testing.T, p *Parser, chunks ...[]byte) streamResult {
	t.Helper()
	var result streamResult
	var buffered []byte
	for _, chunk := range chunks {
		buffered = append(buffered, chunk...)
		for {
			n, err := p.Parse(buffered)
			taken := min(p.Len(), 2)
			consumed := 0
			for i := range taken {
				result.commands = append(result.commands, argStrings(p.Command(buffered[consumed:], consumed, i, nil)))
				consumed = p.End(i)
			}
			if err != nil && taken == p.Len() {
				result.err = err
				return result
			}
			if taken == 0 {
				consumed = n // requests without arguments, or nothing whole
			}
			if consumed == 0 {
				break
			}
			require.LessOrEqual(t, consumed, n, "End stays within what Parse returned")
			buffered = buffered[consumed:]
			p.Reset()
		}
	}
	return result
}

func argStrings(argv [][]byte) []string {
	out := make([]string, len(argv))
	for i, arg := range argv {
		out[i] = string(arg)
	}
	return out
}

// splitAt cuts b at the given offsets, in increasing order.
func splitAt(b []byte, offsets ...int) [][]byte {
	var chunks [][]byte
	last := 0
	for _, offset := range offsets {
		chunks = append(chunks, b[last:offset])
		last = offset
	}
	return append(chunks, b[last:])
}

// bytewise cuts b into one-byte chunks.
func bytewise(b []byte) [][]byte {
	chunks := make([][]byte, len(b))
	for i := range b {
		chunks[i] = b[i : i+1]
	}
	return chunks
}
