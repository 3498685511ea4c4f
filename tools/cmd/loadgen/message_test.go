package main

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatchFramesEveryMessage(t *testing.T) {
	tests := []struct {
		name        string
		frame       frameKind
		size        int
		inflight    int
		wantMessage int
	}{
		{name: "bare payload", frame: frameNone, size: 64, inflight: 3, wantMessage: 64},
		{name: "length prefix", frame: frameLength, size: 64, inflight: 3, wantMessage: 68},
		{name: "line terminator", frame: frameLine, size: 64, inflight: 3, wantMessage: 65},
		{name: "tiny line", frame: frameLine, size: 1, inflight: 2, wantMessage: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBatch(tt.frame, tt.size, tt.inflight, 7)
			b.stamp(0x0a0a0a0a)

			require.Len(t, b.wire, tt.wantMessage*tt.inflight)
			require.Len(t, b.echo, len(b.wire))
			for m := range tt.inflight {
				msg := b.wire[m*tt.wantMessage : (m+1)*tt.wantMessage]
				switch tt.frame {
				case frameLength:
					assert.Equal(t, uint32(tt.size), binary.BigEndian.Uint32(msg))
				case frameLine:
					assert.Equal(t, byte('\n'), msg[len(msg)-1])
					assert.NotContains(t, string(msg[:len(msg)-1]), "\n", "a line payload never holds a newline")
				}
			}
		})
	}
}

func TestBatchStampsDifferentSequencesDifferently(t *testing.T) {
	b := newBatch(frameLength, 64, 2, 0)

	next := b.stamp(41)
	first := bytes.Clone(b.wire)
	b.stamp(next)

	assert.Equal(t, uint32(43), next)
	assert.NotEqual(t, first, b.wire)
	assert.Equal(t, first[4+8:68], b.wire[4+8:68], "only the stamp changes, the filler stays")
}

func TestBatchesOfDifferentConnectionsDiffer(t *testing.T) {
	a := newBatch(frameNone, 64, 1, 1)
	b := newBatch(frameNone, 64, 1, 2)
	a.stamp(0)
	b.stamp(0)

	assert.NotEqual(t, a.wire, b.wire)
}

func TestBatchFirstDifferenceLocatesTheCorruptedByte(t *testing.T) {
	b := newBatch(frameNone, 16, 2, 0)
	copy(b.echo, b.wire)
	assert.Equal(t, -1, b.firstDifference())

	b.echo[21] ^= 1
	assert.Equal(t, 21, b.firstDifference())
}

func TestBatchStampDoesNotAllocate(t *testing.T) {
	b := newBatch(frameLine, 64, 16, 0)
	var seq uint32
	allocs := testing.AllocsPerRun(100, func() { seq = b.stamp(seq) })
	assert.Zero(t, allocs)
}
