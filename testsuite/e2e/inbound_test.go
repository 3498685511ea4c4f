package e2e

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// inboundProbe is a codec whose Decode is the test's: it calls the connection's inbound
// methods (ReadN, ShiftN) where a codec calls them, on bytes a real socket delivered.
type inboundProbe struct {
	decode func(c api.Conn) ([]byte, error)
}

func (p inboundProbe) Encode(_ api.Conn, buf []byte) ([]byte, error) { return buf, nil }
func (p inboundProbe) Decode(c api.Conn) ([]byte, error)             { return p.decode(c) }

// startInboundProbe serves an echo server on one loop with decode as its codec's Decode and
// returns a client connected to it.
func startInboundProbe(t *testing.T, decode func(c api.Conn) ([]byte, error)) net.Conn {
	t.Helper()
	srv := testutil.StartServer(t, new(echoServer), "tcp://127.0.0.1:0",
		server.WithLoopNum(1), server.WithCodec(inboundProbe{decode: decode}))
	return testutil.Dial(t, srv.Addr)
}

// readNCall is one ReadN call made by Decode: what was buffered before and after, and what
// ReadN returned.
type readNCall struct {
	before, size, after int
	buf                 []byte
}

// nextCall receives the next value a probe reported, failing the test if none comes within
// testutil.WaitLimit.
func nextCall[T any](t *testing.T, calls <-chan T) T {
	t.Helper()
	select {
	case call := <-calls:
		return call
	case <-time.After(testutil.WaitLimit):
		t.Fatal("Decode was never called")
		var zero T
		return zero
	}
}

func TestReadNConsumesExactlyNBytesOrNothingWhenFewerAreBuffered(t *testing.T) {
	cases := []struct {
		name string
		n    int
		// writes are sent one at a time, each once the server has read the one before and
		// found no more whole reads of n bytes.
		writes []int
		// want is every ReadN call, in order; the call after each write's last whole read
		// finds fewer than n bytes.
		want []readNCall
	}{
		{
			name: "exactly n buffered: all of them", n: 10, writes: []int{10},
			want: []readNCall{{before: 10, size: 10, after: 0}, {before: 0, size: 0, after: 0}},
		},
		{
			name: "more than n buffered: n, the rest left for the next call", n: 10, writes: []int{25},
			want: []readNCall{
				{before: 25, size: 10, after: 15}, {before: 15, size: 10, after: 5},
				{before: 5, size: 0, after: 5},
			},
		},
		{
			name: "fewer than n buffered: 0 and nil, nothing consumed, until the rest arrives", n: 10,
			writes: []int{4, 6},
			want: []readNCall{
				{before: 4, size: 0, after: 4},
				{before: 10, size: 10, after: 0}, {before: 0, size: 0, after: 0},
			},
		},
		{
			name: "fewer than n left over in the inbound buffer, then more than n", n: 10, writes: []int{13, 12},
			want: []readNCall{
				{before: 13, size: 10, after: 3}, {before: 3, size: 0, after: 3},
				{before: 15, size: 10, after: 5}, {before: 5, size: 0, after: 5},
			},
		},
		{
			name: "n of 0: 0 and nil, nothing consumed", n: 0, writes: []int{5},
			want: []readNCall{{before: 5, size: 0, after: 5}},
		},
		{
			name: "negative n: 0 and nil, nothing consumed", n: -1, writes: []int{5},
			want: []readNCall{{before: 5, size: 0, after: 5}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			calls := make(chan readNCall, 64)
			conn := startInboundProbe(t, func(c api.Conn) ([]byte, error) {
				before := c.BufferLength()
				size, buf := c.ReadN(tc.n)
				calls <- readNCall{before: before, size: size, after: c.BufferLength(), buf: bytes.Clone(buf)}
				if size == 0 {
					return nil, nil // wait for more
				}
				return buf, nil
			})
			total := 0
			for _, w := range tc.writes {
				total += w
			}
			payload := testutil.Payload(total, uint64(total))

			var got []readNCall
			sent := 0
			for _, w := range tc.writes {
				_, err := conn.Write(payload[sent : sent+w])
				require.NoError(t, err)
				sent += w
				for {
					call := nextCall(t, calls)
					got = append(got, call)
					if call.size == 0 || len(got) >= len(tc.want) {
						break
					}
				}
			}
			consumed := 0
			for i, call := range got {
				if call.size == 0 {
					require.Nil(t, call.buf, "call %d: ReadN returned bytes with a size of 0", i)
				} else {
					require.NoError(t, testutil.SameBytes(call.buf, payload[consumed:consumed+call.size]), "call %d", i)
					consumed += call.size
				}
				call.buf = nil
				got[i] = call
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// shiftNCall is the ShiftN call Decode made once every byte sent was buffered.
type shiftNCall struct {
	before, shifted, after int
	// next is the first byte left after the shift, when one is.
	next byte
}

func TestShiftNDiscardsAndReturnsNOrAsManyAsAreBuffered(t *testing.T) {
	const buffered = 10
	cases := []struct {
		name   string
		n      int
		writes []int
		want   shiftNCall
	}{
		{name: "n below what is buffered: n", n: 4, writes: []int{10}, want: shiftNCall{before: 10, shifted: 4, after: 6}},
		{name: "n equal to what is buffered: n", n: 10, writes: []int{10}, want: shiftNCall{before: 10, shifted: 10}},
		{name: "n above what is buffered: what is buffered", n: 25, writes: []int{10}, want: shiftNCall{before: 10, shifted: 10}},
		{name: "n of 0: 0", n: 0, writes: []int{10}, want: shiftNCall{before: 10, after: 10}},
		{name: "negative n: 0", n: -3, writes: []int{10}, want: shiftNCall{before: 10, after: 10}},
		{
			name: "n below what is buffered in the inbound buffer, over two reads: n", n: 4, writes: []int{3, 7},
			want: shiftNCall{before: 10, shifted: 4, after: 6},
		},
		{
			name: "n above what is buffered in the inbound buffer, over two reads: what is buffered", n: 25,
			writes: []int{3, 7}, want: shiftNCall{before: 10, shifted: 10},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			payload := testutil.Payload(buffered, 40)
			waiting := make(chan int, 8)
			calls := make(chan shiftNCall, 1)
			conn := startInboundProbe(t, func(c api.Conn) ([]byte, error) {
				before := c.BufferLength()
				if before < buffered {
					waiting <- before
					return nil, nil
				}
				call := shiftNCall{before: before, shifted: c.ShiftN(tc.n), after: c.BufferLength()}
				if call.after > 0 {
					call.next = c.Read()[0]
				}
				calls <- call
				c.ResetBuffer()
				return []byte{}, nil
			})
			sent := 0
			for i, w := range tc.writes {
				_, err := conn.Write(payload[sent : sent+w])
				require.NoError(t, err)
				sent += w
				if i < len(tc.writes)-1 {
					require.Equal(t, sent, nextCall(t, waiting), "bytes buffered after write %d", i)
				}
			}
			want := tc.want
			if want.after > 0 {
				want.next = payload[want.shifted]
			}
			require.Equal(t, want, nextCall(t, calls))
		})
	}
}

// inboundStep is one call a datagramInbound handler makes on a datagram's connection, and
// what it returned.
type inboundStep struct {
	call       string // "ReadN" or "ShiftN"
	n          int
	size, left int    // what the call returned, and BufferLength after it
	buf        []byte // ReadN's bytes
}

// datagramInbound runs its steps on every datagram's connection in React and reports them.
type datagramInbound struct {
	testutil.Recorder
	steps []inboundStep
	done  chan []inboundStep
}

func (h *datagramInbound) React(_ []byte, c api.Conn) api.Action {
	got := make([]inboundStep, 0, len(h.steps))
	for _, s := range h.steps {
		if s.call == "ReadN" {
			var buf []byte
			s.size, buf = c.ReadN(s.n)
			s.buf = bytes.Clone(buf)
		} else {
			s.size = c.ShiftN(s.n)
		}
		s.left = c.BufferLength()
		got = append(got, s)
	}
	h.done <- got
	return api.None
}

func TestReadNAndShiftNOnADatagramKeepTheirContract(t *testing.T) {
	t.Parallel()
	h := &datagramInbound{
		steps: []inboundStep{
			{call: "ShiftN", n: 3}, {call: "ReadN", n: 4}, {call: "ReadN", n: 10},
			{call: "ReadN", n: 0}, {call: "ShiftN", n: -1}, {call: "ShiftN", n: 100}, {call: "ShiftN", n: 1},
		},
		done: make(chan []inboundStep, 1),
	}
	srv := testutil.StartServer(t, h, "udp://127.0.0.1:0", server.WithLoopNum(1))
	conn := testutil.Dial(t, srv.Addr)
	datagram := []byte("0123456789")
	_, err := conn.Write(datagram)
	require.NoError(t, err)
	want := []inboundStep{
		{call: "ShiftN", n: 3, size: 3, left: 7},
		{call: "ReadN", n: 4, size: 4, left: 3, buf: []byte("3456")},
		{call: "ReadN", n: 10, size: 0, left: 3},
		{call: "ReadN", n: 0, size: 0, left: 3},
		{call: "ShiftN", n: -1, size: 0, left: 3},
		{call: "ShiftN", n: 100, size: 3, left: 0},
		{call: "ShiftN", n: 1, size: 0, left: 0},
	}
	require.Equal(t, want, nextCall(t, h.done))
}
