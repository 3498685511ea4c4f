package codec_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeOutcome is what a reference model says Decode must do with some buffered bytes: return
// frame after consuming consumed bytes, wait for more (frame nil, fatal empty), or fail with an
// error that matches every error in fatal.
type decodeOutcome struct {
	frame    []byte
	consumed int
	fatal    []error
}

// referenceModel computes decodeOutcome from the buffered bytes alone, written for clarity
// rather than speed so that it can judge the codec.
type referenceModel func(buffered []byte) decodeOutcome

// fuzzChunks cuts stream into the reads a socket might deliver: each byte of cuts sizes the
// next chunk (1 to 16 bytes), and whatever the cuts leave over arrives as one last chunk.
func fuzzChunks(stream, cuts []byte) [][]byte {
	var chunks [][]byte
	for _, cut := range cuts {
		if len(stream) == 0 {
			return chunks
		}
		n := min(1+int(cut%16), len(stream))
		chunks = append(chunks, stream[:n])
		stream = stream[n:]
	}
	if len(stream) > 0 {
		chunks = append(chunks, stream)
	}
	return chunks
}

// checkDecoderAgainstModel feeds stream to cd in the chunks cuts describe, decoding after every
// chunk as the engine does, and checks every Decode call against model: the frame, the bytes
// it consumed, what stayed buffered, and the error. It stops at the first fatal error, since
// the engine closes the connection there, and returns copies of the frames decoded until then.
func checkDecoderAgainstModel(t *testing.T, cd frameCodec, model referenceModel, maxFrameLength int, stream, cuts []byte) [][]byte {
	t.Helper()
	c := newMemConn()
	var frames [][]byte
	fed, consumed := 0, 0
	for _, chunk := range fuzzChunks(stream, cuts) {
		c.Buffer(chunk)
		fed += len(chunk)
		for range len(stream) + 1 {
			before := bytes.Clone(c.Read())
			want := model(before)

			frame, err := cd.Decode(c)

			if len(want.fatal) > 0 {
				require.Nil(t, frame)
				require.Error(t, err)
				require.NotErrorIs(t, err, io.ErrUnexpectedEOF, "a fatal error must not read as wait: %v", err)
				for _, target := range want.fatal {
					require.ErrorIs(t, err, target)
				}
				return frames
			}
			if want.frame == nil {
				require.True(t, isWaitForMore(frame, err), "want a wait, got frame %q and error %v", frame, err)
				require.Equal(t, string(before), string(c.Read()), "a wait must not consume")
				break
			}
			require.NoError(t, err)
			require.Equal(t, want.frame, frame)
			require.LessOrEqual(t, len(frame), maxFrameLength)
			require.Equal(t, string(before[want.consumed:]), string(c.Read()), "consumed bytes + remaining bytes must be the input")
			consumed += want.consumed
			frames = append(frames, bytes.Clone(frame))
		}
	}
	require.Equal(t, fed, consumed+c.BufferLength())
	require.Equal(t, len(stream), fed)
	return frames
}

// checkReencodedFramesDecode encodes frames back to back with cd's AppendEncode and checks that
// decoding the result with cd yields want, the frames as the codec is expected to return them.
func checkReencodedFramesDecode(t *testing.T, cd frameCodec, frames, want [][]byte) {
	t.Helper()
	var stream []byte
	for _, frame := range frames {
		var err error
		stream, err = cd.AppendEncode(stream, nil, frame)
		require.NoError(t, err)
	}
	decoded, remaining := decodeChunks(t, cd, stream)
	require.Equal(t, len(want), len(decoded))
	for i := range want {
		require.Equal(t, string(want[i]), string(decoded[i]), "frame %d", i)
	}
	require.Empty(t, remaining)
}
