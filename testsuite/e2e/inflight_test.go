package e2e

import (
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

const (
	chunkLen  = 64
	maxChunks = 1 << 20 // bounds a stream that is never refused
	// burst is how many chunks the writer queues before it pauses for a moment: enough to
	// have writes in flight whenever the close comes, few enough that the close comes long
	// before maxChunks however fast the machine.
	burst = 32
)

// chunk returns the i-th chunk of a stream: its number, then bytes derived from it.
func chunk(i uint64) []byte {
	b := make([]byte, chunkLen)
	binary.BigEndian.PutUint64(b, i)
	for j := 8; j < chunkLen; j++ {
		b[j] = byte(i*31 + uint64(j))
	}
	return b
}

// streamer starts, on a client's 'g', a goroutine that writes chunks until a write is refused
// (with AsyncWrite, or WriteAndFlush when flush is set), and on the commands below closes or
// half-closes the connection in the ways a handler can.
type streamer struct {
	testutil.Recorder
	flush bool

	mu       sync.Mutex
	accepted map[api.Conn]uint64
	done     map[api.Conn]chan struct{}
}

func (h *streamer) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.mu.Lock()
	h.done[c] = make(chan struct{})
	h.mu.Unlock()
	return h.Recorder.OnOpened(c)
}

func (h *streamer) React(frame []byte, c api.Conn) api.Action {
	for _, cmd := range frame {
		switch cmd {
		case 'g':
			h.mu.Lock()
			done := h.done[c]
			h.mu.Unlock()
			go h.stream(c, done)
		case 'a': // the Close action
			return api.Close
		case 'l': // Conn.Close on the loop
			_ = c.Close()
		case 'c': // Conn.Close from another goroutine
			go func() { _ = c.Close() }()
		case 'w': // CloseWrite on the loop
			_ = c.(api.HalfCloser).CloseWrite()
		case 'x': // CloseWrite from another goroutine
			go func() { _ = c.(api.HalfCloser).CloseWrite() }()
		}
	}
	return api.None
}

func (h *streamer) stream(c api.Conn, done chan struct{}) {
	defer close(done)
	var n uint64
	for n < maxChunks {
		var err error
		if h.flush {
			err = c.(api.Flusher).WriteAndFlush(chunk(n), false)
		} else {
			err = c.AsyncWrite(chunk(n))
		}
		if err != nil {
			break
		}
		n++
		if n%burst == 0 {
			time.Sleep(50 * time.Microsecond)
		}
	}
	h.mu.Lock()
	h.accepted[c] = n
	h.mu.Unlock()
}

// readChunks reads chunks until end of stream, checking that they are the stream's, in order,
// and calls first after the first one.
func readChunks(conn net.Conn, first func() error) (uint64, error) {
	buf := make([]byte, chunkLen)
	var n uint64
	for {
		if _, err := io.ReadFull(conn, buf); err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, fmt.Errorf("after %d chunks: %w", n, err)
		}
		if string(buf) != string(chunk(n)) {
			return n, fmt.Errorf("chunk %d is not the stream's", n)
		}
		n++
		if n == 1 {
			if err := first(); err != nil {
				return n, err
			}
		}
	}
}

// streamUntilTheEnd has the server stream chunks to conn from a goroutine, ends the stream
// after the first chunk (with cmd, or the client's end of stream when cmd is 0), and checks
// that every chunk the server accepted arrived, and no other.
func streamUntilTheEnd(t *testing.T, h *streamer, conn net.Conn, cmd byte, halfClose bool) {
	t.Helper()
	defer func() { _ = conn.Close() }() // closed already in the half-close cases
	require.NoError(t, conn.SetDeadline(time.Now().Add(testutil.WaitLimit)))
	_, err := conn.Write([]byte{'g'})
	require.NoError(t, err)
	got, err := readChunks(conn, func() error {
		if cmd != 0 {
			_, err := conn.Write([]byte{cmd})
			return err
		}
		return conn.(interface{ CloseWrite() error }).CloseWrite()
	})
	require.NoError(t, err)
	closure := func() testutil.Closure {
		if halfClose {
			require.NoError(t, conn.Close())
		}
		return h.WaitClosedFrom(t, conn.LocalAddr().String())
	}()
	require.NoError(t, closure.Err)
	h.mu.Lock()
	done := h.done[closure.Conn]
	h.mu.Unlock()
	select {
	case <-done:
	case <-time.After(testutil.WaitLimit):
		t.Fatal("the writing goroutine was never refused")
	}
	h.mu.Lock()
	accepted := h.accepted[closure.Conn]
	h.mu.Unlock()
	require.Less(t, accepted, uint64(maxChunks), "the writes were never refused")
	require.Equal(t, accepted, got, "every chunk accepted arrives, and no other")
}

// connsPerCase is how many connections each case streams on, one after the other: the
// writes in flight at the close differ from one to the next.
const connsPerCase = 4

func TestWritesAcceptedFromAnotherGoroutineGoOutBeforeAnOrderlyCloseOrCloseWrite(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	ends := []struct {
		name      string
		cmd       byte // sent after the first chunk; 0: the client half-closes instead
		halfClose bool // the server only ends its writing side
	}{
		{name: "the Close action", cmd: 'a'},
		{name: "Conn.Close on the loop", cmd: 'l'},
		{name: "Conn.Close from a goroutine", cmd: 'c'},
		{name: "the peer's end of stream"},
		{name: "CloseWrite on the loop", cmd: 'w', halfClose: true},
		{name: "CloseWrite from a goroutine", cmd: 'x', halfClose: true},
	}
	for _, useTLS := range []bool{false, true} {
		for _, flush := range []bool{false, true} {
			for _, end := range ends {
				name := fmt.Sprintf("tls=%v, WriteAndFlush=%v, %s", useTLS, flush, end.name)
				t.Run(name, func(t *testing.T) {
					h := &streamer{flush: flush, accepted: map[api.Conn]uint64{}, done: map[api.Conn]chan struct{}{}}
					var opts []server.Option
					var clientCfg *tls.Config
					if useTLS {
						opts = append(opts, server.WithTls(fixture.ServerConfig()))
						clientCfg = fixture.ClientConfig()
					}
					srv := testutil.StartServer(t, h, loopbackAddress(t, false), opts...)
					for range connsPerCase {
						conn := dialMaybeTLS(t, srv.Addr, clientCfg)
						streamUntilTheEnd(t, h, conn, end.cmd, end.halfClose)
					}
				})
			}
		}
	}
}
