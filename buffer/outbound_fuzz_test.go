package buffer

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// maxOutboundModel bounds the bytes one fuzz input may keep pending, like maxRingModel; it
// leaves room for chunks of the largest size.
const maxOutboundModel = 3 << 20

// outboundOp is one step of FuzzOutboundAgainstModel, chosen by an input byte.
type outboundOp byte

const (
	outboundOpWrite outboundOp = iota
	outboundOpPeek
	outboundOpDiscard
	outboundOpReset
	outboundOpCount
)

// FuzzOutboundAgainstModel decodes its input as operations, each an opcode byte, a count byte
// (iovec room for Peek, a size multiplier for Write) and a signed 16-bit little-endian
// argument, applies them to an Outbound and to a plain slice, and checks after every step
// that both hold the same bytes. Its seed corpus is in testdata/fuzz.
func FuzzOutboundAgainstModel(f *testing.F) {
	f.Fuzz(func(t *testing.T, input []byte) {
		var b Outbound
		defer b.Reset()
		var model []byte
		written := byte(0)
		// The model's bound keeps the chunk count well below this room.
		all := make([][]byte, 0, 1024)
		for len(input) >= 4 {
			op := outboundOp(input[0] % byte(outboundOpCount))
			count := int(input[1] % 9)
			arg := int(int16(binary.LittleEndian.Uint16(input[2:4])))
			input = input[4:]

			switch op {
			case outboundOpWrite:
				// Scaling up lets a few steps span several chunks.
				p := pattern(fuzzWriteSize((arg&0x7fff)*writeMultiplier(count), len(model), maxOutboundModel), written)
				written++
				if n, err := b.Write(p); n != len(p) || err != nil {
					t.Fatalf("Write(%d bytes) = %d, %v", len(p), n, err)
				}
				model = append(model, p...)
			case outboundOpPeek:
				checkOutboundPeek(t, &b, model, count, arg)
			case outboundOpDiscard:
				want := min(max(arg, 0), len(model))
				if got := b.Discard(arg); got != want {
					t.Fatalf("Discard(%d) = %d, want %d", arg, got, want)
				}
				model = model[want:]
			case outboundOpReset:
				b.Reset()
				model = model[:0]
			}
			if b.Len() != len(model) || b.IsEmpty() != (len(model) == 0) {
				t.Fatalf("Len %d IsEmpty %v, model holds %d bytes", b.Len(), b.IsEmpty(), len(model))
			}
			all = b.Peek(all[:0], 0)
			if !iovecsEqual(all, model) {
				t.Fatalf("pending %x, model %x", concat(all...), model)
			}
		}
	})
}

// writeMultiplier turns a decoded count into a write size multiplier of 1 to 8.
func writeMultiplier(count int) int { return count%8 + 1 }

// checkOutboundPeek checks that Peek with count entries of room and maxBytes returns the
// longest prefix of model those limits allow, in non-empty iovecs.
func checkOutboundPeek(t *testing.T, b *Outbound, model []byte, count, maxBytes int) {
	t.Helper()
	iovs := b.Peek(make([][]byte, 0, count), maxBytes)
	got := concat(iovs...)
	limit := len(model)
	if maxBytes > 0 {
		limit = min(limit, maxBytes)
	}
	switch {
	case len(iovs) > count:
		t.Fatalf("Peek returned %d iovecs with room for %d", len(iovs), count)
	case !bytes.HasPrefix(model, got) || len(got) > limit:
		t.Fatalf("Peek(%d, %d) = %x, not a prefix of %x within %d bytes", count, maxBytes, got, model, limit)
	case len(got) < limit && len(iovs) < count:
		t.Fatalf("Peek(%d, %d) stopped at %d bytes in %d iovecs with more allowed", count, maxBytes, len(got), len(iovs))
	}
	for i, iov := range iovs {
		if len(iov) == 0 {
			t.Fatalf("iovec %d is empty", i)
		}
	}
}

// iovecsEqual reports whether iovs, concatenated, equal want, without concatenating them.
func iovecsEqual(iovs [][]byte, want []byte) bool {
	for _, iov := range iovs {
		if len(iov) > len(want) || !bytes.Equal(iov, want[:len(iov)]) {
			return false
		}
		want = want[len(iov):]
	}
	return len(want) == 0
}
