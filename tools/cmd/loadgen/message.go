package main

import (
	"encoding/binary"
	"fmt"
	"math"
)

// frameKind selects how a message is delimited on the wire.
type frameKind int

const (
	// frameNone sends the bare payload, for servers that echo the byte stream as it comes.
	frameNone frameKind = iota
	// frameLength prefixes the payload with its length, 4 bytes big-endian.
	frameLength
	// frameLine ends the payload, which never holds '\n', with '\n'.
	frameLine
)

const (
	lengthPrefixBytes = 4
	maxLengthPayload  = math.MaxUint32
	// stampBytes is how many leading payload bytes carry the message's sequence number, four
	// bits per byte, so that an echo of a stale or reordered message is caught even though
	// every message of a connection shares the same filler.
	stampBytes = 8
)

func parseFrameKind(name string) (frameKind, error) {
	switch name {
	case "none":
		return frameNone, nil
	case "length":
		return frameLength, nil
	case "line":
		return frameLine, nil
	default:
		return 0, fmt.Errorf("%w: -frame must be none, length or line, not %q", ErrBadFlag, name)
	}
}

func (k frameKind) String() string {
	switch k {
	case frameLength:
		return "length"
	case frameLine:
		return "line"
	default:
		return "none"
	}
}

// framedSize is the number of bytes one message of payloadSize bytes takes on the wire.
func (k frameKind) framedSize(payloadSize int) int {
	switch k {
	case frameLength:
		return lengthPrefixBytes + payloadSize
	case frameLine:
		return payloadSize + 1
	default:
		return payloadSize
	}
}

// batch is what one connection writes per round trip: inflight framed messages back to
// back. The same bytes are the echo it expects, so checking costs one comparison.
type batch struct {
	wire          []byte
	echo          []byte
	messageBytes  int
	payloadOffset int
	stampLen      int
}

// newBatch builds a batch whose filler depends on seed, so that connections send different
// bytes and an echo sent to the wrong connection is caught.
func newBatch(kind frameKind, payloadSize, inflight, seed int) *batch {
	b := &batch{
		messageBytes: kind.framedSize(payloadSize),
		stampLen:     min(payloadSize, stampBytes),
	}
	if kind == frameLength {
		b.payloadOffset = lengthPrefixBytes
	}
	b.wire = make([]byte, b.messageBytes*inflight)
	b.echo = make([]byte, len(b.wire))
	for m := range inflight {
		msg := b.wire[m*b.messageBytes : (m+1)*b.messageBytes]
		payload := msg[b.payloadOffset : b.payloadOffset+payloadSize]
		for i := range payload {
			// Printable ASCII only: the line framing forbids '\n' inside a payload.
			payload[i] = byte('!' + (i*31+seed*17)%94)
		}
		switch kind {
		case frameLength:
			binary.BigEndian.PutUint32(msg, uint32(payloadSize))
		case frameLine:
			msg[len(msg)-1] = '\n'
		}
	}
	return b
}

// stamp writes consecutive sequence numbers, starting at seq, into the messages of the
// batch and returns the sequence number that follows them.
//
// hot path: no allocation
func (b *batch) stamp(seq uint32) uint32 {
	for off := b.payloadOffset; off < len(b.wire); off += b.messageBytes {
		stampField := b.wire[off : off+b.stampLen]
		for i := range stampField {
			// Letters 'a'..'p' keep the stamp free of '\n' for the line framing.
			stampField[i] = 'a' + byte(seq>>(4*i))&0x0f
		}
		seq++
	}
	return seq
}

// firstDifference returns the offset of the first byte in which the echo differs from the
// batch, or -1 when they are equal.
func (b *batch) firstDifference() int {
	return firstDifferenceOf(b.wire, b.echo)
}

// firstDifferenceOf returns the offset of the first byte in which a and b, of equal length,
// differ, or -1 when they are equal.
func firstDifferenceOf(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}
