package buffer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// maxRingModel bounds the bytes one fuzz input may buffer: every step compares all of them,
// so an unbounded model makes long inputs quadratic and stalls the fuzzer.
const maxRingModel = 256 << 10

// ringOp is one step of FuzzRingAgainstModel, chosen by an input byte.
type ringOp byte

const (
	ringOpWrite ringOp = iota
	ringOpRead
	ringOpPeek
	ringOpDiscard
	ringOpReset
	ringOpRelease
	ringOpBytes
	ringOpReadFrom
	ringOpWriteTo
	ringOpCount
)

// FuzzRingAgainstModel decodes its input as operations, each an opcode byte followed by a
// signed 16-bit little-endian argument, applies them to a Ring and to a plain slice, and
// checks after every step that both hold the same bytes. Its seed corpus is in testdata/fuzz.
func FuzzRingAgainstModel(f *testing.F) {
	f.Fuzz(func(t *testing.T, input []byte) {
		var r Ring
		var model []byte
		written := byte(0)
		for len(input) >= 3 {
			op := ringOp(input[0] % byte(ringOpCount))
			arg := int(int16(binary.LittleEndian.Uint16(input[1:3])))
			input = input[3:]

			switch op {
			case ringOpWrite:
				p := pattern(fuzzWriteSize(arg&0x7fff, len(model), maxRingModel), written)
				written++
				if n, err := r.Write(p); n != len(p) || err != nil {
					t.Fatalf("Write(%d bytes) = %d, %v", len(p), n, err)
				}
				model = append(model, p...)
			case ringOpRead:
				p := make([]byte, max(arg, 0))
				n, err := r.Read(p)
				want := min(len(p), len(model))
				if n != want || !bytes.Equal(p[:n], model[:want]) {
					t.Fatalf("Read(%d) = %d bytes %x, want %x", len(p), n, p[:n], model[:want])
				}
				if len(p) > 0 && len(model) == 0 && err == nil {
					t.Fatal("Read of an empty ring did not return io.EOF")
				}
				model = model[want:]
			case ringOpPeek:
				head, tail := r.Peek(arg)
				want := model
				if arg >= 0 && arg < len(model) {
					want = model[:arg]
				}
				if got := concat(head, tail); !bytes.Equal(got, want) {
					t.Fatalf("Peek(%d) = %x, want %x", arg, got, want)
				}
			case ringOpDiscard:
				want := min(max(arg, 0), len(model))
				if got := r.Discard(arg); got != want {
					t.Fatalf("Discard(%d) = %d, want %d", arg, got, want)
				}
				model = model[want:]
			case ringOpReset:
				r.Reset()
				model = model[:0]
			case ringOpRelease:
				capBefore := r.Cap()
				r.Release()
				if len(model) > 0 && r.Cap() != capBefore || len(model) == 0 && r.Cap() != 0 {
					t.Fatalf("Release with %d bytes buffered left Cap %d (was %d)", len(model), r.Cap(), capBefore)
				}
			case ringOpReadFrom:
				p := pattern(fuzzWriteSize(arg&0x7fff, len(model), maxRingModel), written)
				written++
				if n, err := r.ReadFrom(bytes.NewReader(p)); n != int64(len(p)) || err != nil {
					t.Fatalf("ReadFrom(%d bytes) = %d, %v", len(p), n, err)
				}
				model = append(model, p...)
			case ringOpWriteTo:
				w := &limitedWriter{limit: max(arg, 0)}
				n, err := r.WriteTo(w)
				want := min(max(arg, 0), len(model))
				if n != int64(want) || !bytes.Equal(w.got, model[:want]) {
					t.Fatalf("WriteTo a writer taking %d = %d bytes %x, want %x", arg, n, w.got, model[:want])
				}
				if short := want < len(model); short != errors.Is(err, io.ErrShortWrite) || !short && err != nil {
					t.Fatalf("WriteTo a writer taking %d of %d bytes returned %v", arg, len(model), err)
				}
				model = model[want:]
			case ringOpBytes:
				if got := r.Bytes(); !bytes.Equal(got, model) {
					t.Fatalf("Bytes = %x, want %x", got, model)
				}
			}
			checkRingMatchesModel(t, &r, model)
		}
	})
}

func checkRingMatchesModel(t *testing.T, r *Ring, model []byte) {
	t.Helper()
	head, tail := r.Peek(-1)
	switch {
	case r.Len() != len(model) || r.IsEmpty() != (len(model) == 0):
		t.Fatalf("Len %d IsEmpty %v, model holds %d bytes", r.Len(), r.IsEmpty(), len(model))
	case r.Cap() < r.Len() || r.Cap()&(r.Cap()-1) != 0:
		t.Fatalf("Cap %d is below Len %d or not a power of two", r.Cap(), r.Len())
	case len(tail) > 0 && len(head) == 0:
		t.Fatal("Peek returned a tail without a head")
	case len(head) > len(model):
		t.Fatalf("Peek returned %d bytes, model holds %d", len(head), len(model))
	case !bytes.Equal(head, model[:len(head)]) || !bytes.Equal(tail, model[len(head):]):
		t.Fatalf("ring holds %x%x, model %x", head, tail, model)
	}
}

// fuzzWriteSize shrinks a decoded write size so that the model stays within limit bytes.
func fuzzWriteSize(size, modelLen, limit int) int { return max(min(size, limit-modelLen), 0) }
