package testutil

import (
	"encoding/binary"
	"math/rand/v2"
)

// payloadPeriod is the length of the random block a Payload repeats: a prime, so that no
// power-of-two buffer or frame size lines up with it and a chunk delivered at a wrong offset
// shows as a difference.
const payloadPeriod = 65521

// Payload returns n pseudo-random bytes, the same for the same seed: PayloadWindow(seed, 0, n).
func Payload(n int, seed uint64) []byte { return PayloadWindow(seed, 0, n) }

// PayloadWindow returns bytes offset to offset+n of an endless pseudo-random stream that
// depends only on seed. The stream repeats a random block of payloadPeriod bytes, which keeps
// large payloads cheap to build under the race detector: a client can send gigabytes in
// windows without holding them.
func PayloadWindow(seed uint64, offset, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	block := make([]byte, min(payloadPeriod, offset%payloadPeriod+n))
	for i := 0; i < len(block); i += 8 {
		var word [8]byte
		binary.LittleEndian.PutUint64(word[:], rng.Uint64())
		copy(block[i:], word[:])
	}
	buf := make([]byte, n)
	at := offset % payloadPeriod
	for filled := 0; filled < n; at = 0 {
		filled += copy(buf[filled:], block[at:])
	}
	return buf
}
