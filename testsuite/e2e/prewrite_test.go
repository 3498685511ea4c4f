package e2e

import (
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// preWriteProbe serves one connection: it greets from OnOpened, echoes, and in PreWrite notes
// how many bytes that connection had queued and not yet written. On one loop, PreWrite and
// the callbacks run on the goroutine that writes the connection.
type preWriteProbe struct {
	*connKeeper
	greeting []byte
	conn     api.Conn // touched on the loop only

	mu sync.Mutex
	// pending is the connection's queued output at every PreWrite, in order.
	pending []int
	// marks are len(pending) whenever output was about to be queued, in order.
	marks []int
}

func (h *preWriteProbe) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.conn = c
	h.mark()
	h.connKeeper.OnOpened(c)
	return h.greeting, api.None
}

func (h *preWriteProbe) React(frame []byte, c api.Conn) api.Action {
	h.mark()
	return h.connKeeper.React(frame, c)
}

func (h *preWriteProbe) PreWrite() {
	pending := 0
	if h.conn != nil {
		pending = h.conn.(api.FlowControl).OutboundLength()
	}
	h.mu.Lock()
	h.pending = append(h.pending, pending)
	h.mu.Unlock()
}

// mark notes that output is about to be queued, and returns the note's number.
func (h *preWriteProbe) mark() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.marks = append(h.marks, len(h.pending))
	return len(h.marks) - 1
}

// firstPreWriteAfter returns what the first PreWrite after note number i saw queued, and
// whether there was one.
func (h *preWriteProbe) firstPreWriteAfter(i int) (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	at := h.marks[i]
	if len(h.pending) <= at {
		return 0, false
	}
	return h.pending[at], true
}

func TestPreWriteFiresBeforeQueuedOutputIsWrittenToTheSocket(t *testing.T) {
	cases := []struct {
		name string
		// write makes the server write want, and returns the number of the probe's note
		// taken before it was queued.
		write func(t *testing.T, h *preWriteProbe, c api.Conn, conn net.Conn) (note int, want []byte)
	}{
		{
			name: "a greeting returned by OnOpened",
			write: func(*testing.T, *preWriteProbe, api.Conn, net.Conn) (int, []byte) {
				return 0, nil // the greeting is all that is written
			},
		},
		{
			name: "an echo written by React",
			write: func(t *testing.T, _ *preWriteProbe, _ api.Conn, conn net.Conn) (int, []byte) {
				msg := testutil.Payload(100, 50)
				_, err := conn.Write(msg)
				require.NoError(t, err)
				return 1, msg // note 0 is OnOpened's, note 1 React's
			},
		},
		{
			name: "AsyncWrite from another goroutine",
			write: func(t *testing.T, h *preWriteProbe, c api.Conn, _ net.Conn) (int, []byte) {
				note := h.mark()
				msg := testutil.Payload(3000, 51)
				require.NoError(t, c.AsyncWrite(msg))
				return note, msg
			},
		},
		{
			name: "WriteAndFlush from another goroutine",
			write: func(_ *testing.T, h *preWriteProbe, c api.Conn, _ net.Conn) (int, []byte) {
				note := h.mark()
				msg := testutil.Payload(3000, 52)
				go func() {
					// The client reading msg is what the test checks; an error shows there.
					_ = c.(api.Flusher).WriteAndFlush(msg, false)
				}()
				return note, msg
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &preWriteProbe{connKeeper: newConnKeeper(), greeting: testutil.Payload(2000, 49)}
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(1))
			conn := testutil.Dial(t, srv.Addr)
			c := h.nextConn(t)
			expectRead(t, conn, h.greeting)
			note, want := tc.write(t, h, c, conn)
			expectRead(t, conn, want)
			if want == nil {
				want = h.greeting
			}

			pending, fired := h.firstPreWriteAfter(note)
			require.True(t, fired, "PreWrite did not fire before the bytes reached the client")
			require.GreaterOrEqual(t, pending, len(want), "the first PreWrite after the write saw less queued than was written")
		})
	}
}
