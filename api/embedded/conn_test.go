package embedded_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"testing"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/embedded"
)

// lines is a codec for the tests: frames end with '\n', which Encode adds and Decode strips;
// a frame longer than 16 bytes is malformed.
type lines struct{}

var errTooLong = errors.New("line too long")

func (lines) Encode(_ api.Conn, buf []byte) ([]byte, error) { return append(buf, '\n'), nil }

func (lines) Decode(c api.Conn) ([]byte, error) {
	buf := c.Read()
	i := bytes.IndexByte(buf, '\n')
	switch {
	case i < 0 && len(buf) > 16, i > 16:
		return nil, errTooLong
	case i < 0:
		return nil, io.ErrUnexpectedEOF
	}
	c.ShiftN(i + 1)
	return buf[:i], nil
}

// recorder echoes every frame in upper case through AsyncWrite, closes on "quit", and records
// every callback.
type recorder struct {
	api.EventServer
	calls []string
}

func (r *recorder) OnOpened(api.Conn) ([]byte, api.Action) {
	r.calls = append(r.calls, "opened")
	return []byte("hello\n"), api.None
}

func (r *recorder) React(frame []byte, c api.Conn) api.Action {
	r.calls = append(r.calls, fmt.Sprintf("react %q", frame))
	if string(frame) == "quit" {
		return api.Close
	}
	if err := c.AsyncWrite(bytes.ToUpper(frame)); err != nil {
		r.calls = append(r.calls, "write failed: "+err.Error())
	}
	return api.None
}

func (r *recorder) OnClosed(_ api.Conn, err error) api.Action {
	r.calls = append(r.calls, fmt.Sprintf("closed %v", err))
	return api.None
}

func TestFeedCutsFramesWithTheCodecAndCallsReactForEachInOrder(t *testing.T) {
	h := new(recorder)
	c := embedded.New(h, embedded.WithCodec(lines{}))
	c.Open()

	first, err := c.Feed([]byte("ping\npo"))
	if err != nil || first != api.None {
		t.Fatalf("Feed = %v, %v; want None, nil", first, err)
	}
	second, err := c.Feed([]byte("ng\nquit\nnever\n"))
	if err != nil || second != api.Close {
		t.Fatalf("Feed = %v, %v; want Close, nil", second, err)
	}

	want := []string{`opened`, `react "ping"`, `react "pong"`, `react "quit"`, `closed <nil>`}
	if !slices.Equal(h.calls, want) {
		t.Fatalf("calls %q, want %q", h.calls, want)
	}
	if got := string(c.TakeOutbound()); got != "hello\nPING\nPONG\n" {
		t.Fatalf("outbound %q", got)
	}
	if closed, reason := c.Closed(); !closed || reason != nil {
		t.Fatalf("Closed = %v, %v; want true, nil", closed, reason)
	}
	if err := c.AsyncWrite([]byte("late")); !errors.Is(err, api.ErrConnClosed) {
		t.Fatalf("a write after close = %v, want %v", err, api.ErrConnClosed)
	}
}

func TestAMalformedStreamClosesTheConnectionWithTheCodecsError(t *testing.T) {
	h := new(recorder)
	c := embedded.New(h, embedded.WithCodec(lines{}))
	c.Open()

	action, err := c.Feed([]byte("ok\nthis line is far too long for the codec\n"))

	if !errors.Is(err, errTooLong) || action != api.Close {
		t.Fatalf("Feed = %v, %v; want Close, %v", action, err, errTooLong)
	}
	if _, reason := c.Closed(); !errors.Is(reason, errTooLong) {
		t.Fatalf("closed with %v, want %v", reason, errTooLong)
	}
	if got := h.calls[len(h.calls)-1]; got != "closed "+errTooLong.Error() {
		t.Fatalf("last call %q", got)
	}
}

func TestWithoutACodecEveryFeedIsOneFrame(t *testing.T) {
	h := new(recorder)
	c := embedded.New(h)

	_, _ = c.Feed([]byte("a\nb"))
	_, _ = c.Feed([]byte("c"))

	want := []string{`react "a\nb"`, `react "c"`}
	if !slices.Equal(h.calls, want) {
		t.Fatalf("calls %q, want %q", h.calls, want)
	}
	if got := string(c.TakeOutbound()); got != "A\nBC" {
		t.Fatalf("outbound %q", got)
	}
}

func TestWithoutAHandlerFeedOnlyBuffersForTheCodecUnderTest(t *testing.T) {
	c := embedded.New(nil)
	if action, err := c.Feed([]byte("abc")); action != api.None || err != nil {
		t.Fatalf("Feed = %v, %v; want None, nil", action, err)
	}
	c.Buffer([]byte("def"))

	if n, buf := c.ReadN(4); n != 4 || string(buf) != "abcd" {
		t.Fatalf("ReadN(4) = %d, %q", n, buf)
	}
	if n, buf := c.ReadN(3); n != 0 || buf != nil {
		t.Fatalf("ReadN past the buffered bytes = %d, %q; want 0, nil", n, buf)
	}
	if n := c.ShiftN(5); n != 2 || c.BufferLength() != 0 {
		t.Fatalf("ShiftN(5) = %d leaving %d", n, c.BufferLength())
	}
}

func TestWakeCallsReactWithANilFrameWhenPendingWorkRuns(t *testing.T) {
	h := new(recorder)
	c := embedded.New(h)
	if err := c.Wake(); err != nil {
		t.Fatal(err)
	}
	if err := c.Wake(); err != nil {
		t.Fatal(err)
	}

	if ran := c.RunPending(); ran != 2 {
		t.Fatalf("RunPending ran %d, want 2", ran)
	}
	if want := []string{`react ""`, `react ""`}; !slices.Equal(h.calls, want) {
		t.Fatalf("calls %q, want %q", h.calls, want)
	}
	if ran := c.RunPending(); ran != 0 {
		t.Fatalf("a second RunPending ran %d, want 0", ran)
	}
}

func TestWritesFailAsTheEngineWouldAfterCloseWriteOrWhenToldTo(t *testing.T) {
	errFull := errors.New("outbound full")
	c := embedded.New(nil)

	c.FailWrites(errFull)
	failed := c.WriteNoCodec([]byte("x"))
	c.FailWrites(nil)
	passed := c.WriteNoCodec([]byte("y"))
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	afterCloseWrite := c.AsyncWrite([]byte("z"))

	if !errors.Is(failed, errFull) || passed != nil || !errors.Is(afterCloseWrite, api.ErrWriteClosed) {
		t.Fatalf("writes = %v, %v, %v", failed, passed, afterCloseWrite)
	}
	if c.Writes() != 1 || string(c.Outbound()) != "y" {
		t.Fatalf("%d writes, outbound %q", c.Writes(), c.Outbound())
	}
}

func TestWriteAndFlushReturnsWhatQueuingReturned(t *testing.T) {
	c := embedded.New(nil)
	flusher := api.Flusher(c)
	queued := flusher.WriteAndFlush([]byte("a"), true)
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	afterCloseWrite := flusher.WriteAndFlush([]byte("b"), false)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	afterClose := flusher.WriteAndFlush([]byte("c"), false)

	if queued != nil || !errors.Is(afterCloseWrite, api.ErrWriteClosed) || !errors.Is(afterClose, api.ErrConnClosed) {
		t.Fatalf("WriteAndFlush = %v, %v, %v", queued, afterCloseWrite, afterClose)
	}
	if string(c.Outbound()) != "a" {
		t.Fatalf("outbound %q", c.Outbound())
	}
}

func TestCloseFiresOnClosedOnce(t *testing.T) {
	h := new(recorder)
	c := embedded.New(h)
	c.Open()

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	if want := []string{`opened`, `closed <nil>`}; !slices.Equal(h.calls, want) {
		t.Fatalf("calls %q, want %q", h.calls, want)
	}
}

func TestAConnectionWithAProxyHeaderReportsItAndItsAddresses(t *testing.T) {
	socketLocal := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 9000}
	socketRemote := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 40000}
	client := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 50000}
	front := &net.TCPAddr{IP: net.IPv4(198, 51, 100, 1), Port: 443}
	relayed := api.ProxyHeader{Version: 2, Source: client, Destination: front,
		TLVs: []api.ProxyTLV{{Type: 0x02, Value: []byte("example.com")}}}
	tests := []struct {
		name                  string
		opts                  []embedded.Option
		wantOK                bool
		wantLocal, wantRemote net.Addr
		wantAuthority         string
	}{
		{name: "no header", opts: []embedded.Option{embedded.WithAddrs(socketLocal, socketRemote)},
			wantLocal: socketLocal, wantRemote: socketRemote},
		{name: "a header with addresses wins over WithAddrs",
			opts:   []embedded.Option{embedded.WithProxyHeader(relayed), embedded.WithAddrs(socketLocal, socketRemote)},
			wantOK: true, wantLocal: front, wantRemote: client, wantAuthority: "example.com"},
		{name: "a LOCAL header keeps the socket's addresses",
			opts:   []embedded.Option{embedded.WithAddrs(socketLocal, socketRemote), embedded.WithProxyHeader(api.ProxyHeader{Version: 2, Local: true})},
			wantOK: true, wantLocal: socketLocal, wantRemote: socketRemote},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := embedded.New(nil, tc.opts...)
			h, ok := c.ProxyHeader()
			authority, _ := h.TLV(0x02)
			if ok != tc.wantOK || string(authority) != tc.wantAuthority {
				t.Errorf("ProxyHeader = %+v, %v; want ok %v and authority %q", h, ok, tc.wantOK, tc.wantAuthority)
			}
			if c.LocalAddr() != tc.wantLocal || c.RemoteAddr() != tc.wantRemote {
				t.Errorf("addresses %v, %v; want %v, %v", c.LocalAddr(), c.RemoteAddr(), tc.wantLocal, tc.wantRemote)
			}
		})
	}
}

// quiet reacts to every frame without writing, so that only the connection's own costs show.
type quiet struct{ api.EventServer }

func (*quiet) React([]byte, api.Conn) api.Action { return api.None }

func TestFeedAllocatesNothingOnceItsBuffersHaveGrown(t *testing.T) {
	c := embedded.New(new(quiet), embedded.WithCodec(lines{}))
	input := []byte("one\ntwo\nthree\n")

	allocs := testing.AllocsPerRun(100, func() {
		if _, err := c.Feed(input); err != nil {
			t.Fatal(err)
		}
	})

	if allocs != 0 {
		t.Fatalf("%v allocations per Feed, want 0", allocs)
	}
}

func TestAStalledPeerLeavesWrittenBytesPendingUntilItDrains(t *testing.T) {
	c := embedded.New(nil)
	if err := c.WriteNoCodec([]byte("sent at once")); err != nil || c.OutboundLength() != 0 {
		t.Fatalf("write = %v leaving %d pending, want nil and 0", err, c.OutboundLength())
	}
	c.StallOutput(true)
	_ = c.WriteNoCodec([]byte("0123456789"))
	if c.OutboundLength() != 10 {
		t.Fatalf("%d pending, want 10", c.OutboundLength())
	}
	if left := c.DrainOutput(4); left != 4 || c.OutboundLength() != 4 {
		t.Fatalf("DrainOutput(4) = %d with %d pending", left, c.OutboundLength())
	}
	if left := c.DrainOutput(0); left != 0 {
		t.Fatalf("DrainOutput(0) = %d", left)
	}
	if got := string(c.Outbound()); got != "sent at once0123456789" {
		t.Fatalf("outbound %q", got)
	}
}
