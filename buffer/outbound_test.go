package buffer

import (
	"bytes"
	"testing"
)

func TestZeroOutboundIsEmpty(t *testing.T) {
	var b Outbound
	if b.Len() != 0 || !b.IsEmpty() {
		t.Fatalf("Len %d IsEmpty %v, want 0 true", b.Len(), b.IsEmpty())
	}
	if iovs := b.Peek(make([][]byte, 0, 4), 0); len(iovs) != 0 {
		t.Fatalf("Peek of an empty buffer returned %d iovecs", len(iovs))
	}
	if b.Discard(10) != 0 {
		t.Fatal("Discard dropped bytes from an empty buffer")
	}
}

func TestOutboundCoalescesSmallWritesIntoOneChunk(t *testing.T) {
	var b Outbound
	var want []byte
	for i := range 100 {
		msg := pattern(64, byte(i))
		if n, err := b.Write(msg); n != 64 || err != nil {
			t.Fatalf("Write = %d, %v, want 64, nil", n, err)
		}
		want = append(want, msg...)
	}
	iovs := b.Peek(make([][]byte, 0, 8), 0)
	if len(iovs) != 1 || !bytes.Equal(iovs[0], want) || b.Len() != len(want) {
		t.Fatalf("%d iovecs holding %d bytes, want 1 holding %d", len(iovs), len(concat(iovs...)), len(want))
	}
}

func TestOutboundStartsAChunkWhenTheLastIsFull(t *testing.T) {
	var b Outbound
	first, second := pattern(OutboundChunkSize-10, 1), pattern(30, 2)
	mustQueue(t, &b, first)
	mustQueue(t, &b, second)
	iovs := b.Peek(make([][]byte, 0, 8), 0)
	switch {
	case len(iovs) != 2:
		t.Fatalf("%d iovecs, want 2", len(iovs))
	case len(iovs[0]) != OutboundChunkSize || len(iovs[1]) != 20:
		t.Fatalf("iovec lengths %d and %d, want %d and 20", len(iovs[0]), len(iovs[1]), OutboundChunkSize)
	case !bytes.Equal(concat(iovs...), concat(first, second)):
		t.Fatal("the iovecs do not hold the written bytes in order")
	}
}

func TestOutboundGivesLargeWritesLargerChunks(t *testing.T) {
	tests := []struct {
		name        string
		size        int
		wantIovLens []int
	}{
		{name: "up to the chunk size", size: OutboundChunkSize, wantIovLens: []int{OutboundChunkSize}},
		{name: "rounded up to a power of two", size: 100 << 10, wantIovLens: []int{100 << 10}},
		{name: "split at the largest chunk", size: 3<<20 + 5, wantIovLens: []int{1 << 20, 1 << 20, 1 << 20, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Outbound
			defer b.Reset()
			mustQueue(t, &b, pattern(tt.size, 1))
			iovs := b.Peek(make([][]byte, 0, 8), 0)
			if len(iovs) != len(tt.wantIovLens) {
				t.Fatalf("%d iovecs, want %d", len(iovs), len(tt.wantIovLens))
			}
			for i, iov := range iovs {
				if len(iov) != tt.wantIovLens[i] {
					t.Fatalf("iovec %d holds %d bytes, want %d", i, len(iov), tt.wantIovLens[i])
				}
			}
			if !bytes.Equal(concat(iovs...), pattern(tt.size, 1)) {
				t.Fatal("the iovecs do not hold the written bytes in order")
			}
		})
	}
}

func TestOutboundPeekStopsAtTheIovecCapacityAndTheByteLimit(t *testing.T) {
	var b Outbound
	defer b.Reset()
	all := pattern(3*OutboundChunkSize+100, 1)
	mustQueue(t, &b, all[:OutboundChunkSize])
	mustQueue(t, &b, all[OutboundChunkSize:2*OutboundChunkSize])
	mustQueue(t, &b, all[2*OutboundChunkSize:3*OutboundChunkSize])
	mustQueue(t, &b, all[3*OutboundChunkSize:])

	tests := []struct {
		name      string
		iovs      [][]byte
		maxBytes  int
		wantCount int
		wantBytes int
	}{
		{name: "no limit", iovs: make([][]byte, 0, 8), wantCount: 4, wantBytes: len(all)},
		{name: "limited by capacity", iovs: make([][]byte, 0, 2), wantCount: 2, wantBytes: 2 * OutboundChunkSize},
		{name: "limited inside a chunk", iovs: make([][]byte, 0, 8), maxBytes: OutboundChunkSize + 7, wantCount: 2, wantBytes: OutboundChunkSize + 7},
		{name: "limited at a chunk end", iovs: make([][]byte, 0, 8), maxBytes: OutboundChunkSize, wantCount: 1, wantBytes: OutboundChunkSize},
		{name: "negative limit means none", iovs: make([][]byte, 0, 8), maxBytes: -1, wantCount: 4, wantBytes: len(all)},
		{name: "zero capacity", iovs: nil, wantCount: 0, wantBytes: 0},
		{name: "appends after existing entries", iovs: append(make([][]byte, 0, 3), []byte("x")), wantCount: 3, wantBytes: 2*OutboundChunkSize + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := concat(tt.iovs...)
			got := b.Peek(tt.iovs, tt.maxBytes)
			if len(got) != tt.wantCount || len(concat(got...)) != tt.wantBytes {
				t.Fatalf("%d iovecs holding %d bytes, want %d holding %d", len(got), len(concat(got...)), tt.wantCount, tt.wantBytes)
			}
			if want := concat(prefix, all[:tt.wantBytes-len(prefix)]); !bytes.Equal(concat(got...), want) {
				t.Fatal("Peek did not append the oldest bytes in order")
			}
			if cap(got) != cap(tt.iovs) {
				t.Fatalf("Peek grew the iovec slice from cap %d to %d", cap(tt.iovs), cap(got))
			}
		})
	}
	if b.Len() != len(all) {
		t.Fatalf("Len %d after peeking, want %d: Peek consumed bytes", b.Len(), len(all))
	}
}

func TestOutboundDiscardInTheMiddleOfAChunkKeepsTheRest(t *testing.T) {
	all := pattern(2*OutboundChunkSize+50, 1)
	tests := []struct {
		name        string
		discards    []int
		wantDropped int
		wantIovs    int
	}{
		{name: "inside the first chunk", discards: []int{100}, wantDropped: 100, wantIovs: 3},
		{name: "twice inside the first chunk", discards: []int{100, 200}, wantDropped: 300, wantIovs: 3},
		{name: "exactly the first chunk", discards: []int{OutboundChunkSize}, wantDropped: OutboundChunkSize, wantIovs: 2},
		{name: "across a chunk boundary", discards: []int{OutboundChunkSize + 10}, wantDropped: OutboundChunkSize + 10, wantIovs: 2},
		{name: "more than pending", discards: []int{1 << 30}, wantDropped: len(all), wantIovs: 0},
		{name: "non-positive", discards: []int{0, -5}, wantDropped: 0, wantIovs: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Outbound
			defer b.Reset()
			mustQueue(t, &b, all[:OutboundChunkSize])
			mustQueue(t, &b, all[OutboundChunkSize:2*OutboundChunkSize])
			mustQueue(t, &b, all[2*OutboundChunkSize:])
			dropped := 0
			for _, n := range tt.discards {
				dropped += b.Discard(n)
			}
			iovs := b.Peek(make([][]byte, 0, 8), 0)
			switch {
			case dropped != tt.wantDropped:
				t.Fatalf("dropped %d bytes, want %d", dropped, tt.wantDropped)
			case len(iovs) != tt.wantIovs:
				t.Fatalf("%d iovecs left, want %d", len(iovs), tt.wantIovs)
			case !bytes.Equal(concat(iovs...), all[dropped:]) || b.Len() != len(all)-dropped:
				t.Fatal("the pending bytes are not the ones after those dropped")
			}
		})
	}
}

func TestOutboundWriteDoesNotMovePeekedBytes(t *testing.T) {
	var b Outbound
	defer b.Reset()
	mustQueue(t, &b, pattern(100, 1))
	iovs := b.Peek(make([][]byte, 0, 1), 0)
	mustQueue(t, &b, pattern(OutboundChunkSize, 2))
	b.Discard(10)
	if !bytes.Equal(iovs[0], pattern(100, 1)) {
		t.Fatal("bytes peeked before a Write changed")
	}
}

func TestOutboundResetDropsEverything(t *testing.T) {
	var b Outbound
	mustQueue(t, &b, pattern(3*OutboundChunkSize, 1))
	b.Discard(5)
	b.Reset()
	if !b.IsEmpty() || len(b.Peek(make([][]byte, 0, 4), 0)) != 0 {
		t.Fatal("bytes remain after Reset")
	}
	mustQueue(t, &b, pattern(10, 2))
	if got := concat(b.Peek(make([][]byte, 0, 4), 0)...); !bytes.Equal(got, pattern(10, 2)) {
		t.Fatalf("after Reset the buffer holds %x, want %x", got, pattern(10, 2))
	}
}

func TestOutboundReusesItsChunkListWhileSomeOutputStaysPending(t *testing.T) {
	var b Outbound
	defer b.Reset()
	mustQueue(t, &b, pattern(2*OutboundChunkSize, 1))
	// Each round leaves output pending, so the list never empties and must slide its
	// pending chunks to the front instead of growing once it has its working length.
	round := func() {
		mustQueue(t, &b, pattern(OutboundChunkSize, 2))
		b.Discard(OutboundChunkSize)
	}
	for range 10 {
		round()
	}
	listCap := cap(b.chunks)
	for range 100 {
		round()
	}
	if cap(b.chunks) != listCap || b.Len() != 2*OutboundChunkSize {
		t.Fatalf("chunk list cap %d Len %d, want %d %d", cap(b.chunks), b.Len(), listCap, 2*OutboundChunkSize)
	}
}

func TestOutboundHotPathsDoNotAllocate(t *testing.T) {
	if raceDetectorOn {
		t.Skip("the race detector makes sync.Pool drop chunks on purpose")
	}
	var b Outbound
	msg := pattern(64, 1)
	iovs := make([][]byte, 0, 16)
	mustQueue(t, &b, msg)
	b.Discard(64)
	allocs := testing.AllocsPerRun(1000, func() {
		mustQueue(t, &b, msg)
		mustQueue(t, &b, msg)
		iovs = b.Peek(iovs[:0], 0)
		b.Discard(100)
		b.Discard(28)
	})
	if allocs != 0 {
		t.Fatalf("Write+Peek+Discard allocated %v times per run, want 0", allocs)
	}
}

// mustQueue writes p to b and fails the test unless Write reports all of p and no error.
func mustQueue(t testing.TB, b *Outbound, p []byte) {
	t.Helper()
	if n, err := b.Write(p); n != len(p) || err != nil {
		t.Fatalf("Write(%d bytes) = %d, %v", len(p), n, err)
	}
}
