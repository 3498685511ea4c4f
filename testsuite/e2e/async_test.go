package e2e

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// record is one AsyncWrite of the many-writers test: a header naming its writer, its sequence
// number and its length, then a body derived from all three, so that a torn, reordered or
// lost record shows.
type record struct {
	writer byte
	seq    uint32
	body   []byte
}

const recordHeader = 1 + 4 + 2

func newRecord(writer byte, seq uint32) record {
	return record{writer: writer, seq: seq, body: testutil.Payload(int(writer)*131%200+int(seq)*17%900, uint64(writer)<<32|uint64(seq))}
}

func (r record) encode() []byte {
	out := make([]byte, recordHeader, recordHeader+len(r.body))
	out[0] = r.writer
	binary.BigEndian.PutUint32(out[1:], r.seq)
	binary.BigEndian.PutUint16(out[5:], uint16(len(r.body)))
	return append(out, r.body...)
}

// checkRecords parses stream and checks that every writer's records arrive whole and in the
// order that writer wrote them, perWriter of each.
func checkRecords(stream []byte, writers, perWriter int) error {
	next := make([]uint32, writers)
	for len(stream) > 0 {
		if len(stream) < recordHeader {
			return fmt.Errorf("%d bytes left, shorter than a header", len(stream))
		}
		writer := int(stream[0])
		if writer >= writers {
			return fmt.Errorf("a record from writer %d of %d: the stream is torn", writer, writers)
		}
		seq := binary.BigEndian.Uint32(stream[1:])
		if seq != next[writer] {
			return fmt.Errorf("writer %d: record %d arrived where %d was due", writer, seq, next[writer])
		}
		want := newRecord(byte(writer), seq).encode()
		if len(stream) < len(want) {
			return fmt.Errorf("writer %d record %d is cut short", writer, seq)
		}
		if err := testutil.SameBytes(stream[:len(want)], want); err != nil {
			return fmt.Errorf("writer %d record %d: %w", writer, seq, err)
		}
		next[writer]++
		stream = stream[len(want):]
	}
	for writer, n := range next {
		if int(n) != perWriter {
			return fmt.Errorf("writer %d: %d records arrived of %d", writer, n, perWriter)
		}
	}
	return nil
}

func TestAsyncWriteFromManyGoroutinesDeliversEveryMessageWholeAndInWriterOrder(t *testing.T) {
	cases := []struct {
		name      string
		loops     int
		writers   int
		perWriter int
	}{
		{name: "one loop", loops: 1, writers: 16, perWriter: 150},
		{name: "two loops", loops: 2, writers: 32, perWriter: 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newConnKeeper()
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(tc.loops))
			conn := testutil.Dial(t, srv.Addr)
			c := h.nextConn(t)

			total := 0
			for w := range tc.writers {
				for seq := range tc.perWriter {
					total += len(newRecord(byte(w), uint32(seq)).encode())
				}
			}
			var wg sync.WaitGroup
			writeErrs := make(chan error, tc.writers)
			for w := range tc.writers {
				wg.Go(func() {
					for seq := range tc.perWriter {
						if err := c.AsyncWrite(newRecord(byte(w), uint32(seq)).encode()); err != nil {
							writeErrs <- fmt.Errorf("writer %d, record %d: %w", w, seq, err)
							return
						}
					}
				})
			}
			stream := make([]byte, total)
			_, err := io.ReadFull(conn, stream)
			require.NoError(t, err)
			wg.Wait()
			close(writeErrs)
			for err := range writeErrs {
				require.NoError(t, err)
			}
			require.NoError(t, checkRecords(stream, tc.writers, tc.perWriter))
		})
	}
}

// wakeCounter answers every React(nil, c) that Wake causes with a fixed reply.
type wakeCounter struct {
	*connKeeper
	wakes atomic.Int32
}

var wokenReply = []byte("woken;")

func (h *wakeCounter) React(frame []byte, c api.Conn) api.Action {
	if frame != nil {
		return h.connKeeper.React(frame, c)
	}
	h.wakes.Add(1)
	if err := c.AsyncWrite(wokenReply); err != nil {
		return api.Close
	}
	return api.None
}

func TestWakeFromAnotherGoroutineCallsReactWithNilFrame(t *testing.T) {
	t.Parallel()
	h := &wakeCounter{connKeeper: newConnKeeper()}
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2))
	conn := testutil.Dial(t, srv.Addr)
	c := h.nextConn(t)
	const wakes = 5
	for range wakes {
		require.NoError(t, c.Wake())
	}
	for range wakes {
		expectRead(t, conn, wokenReply)
	}
	require.EqualValues(t, wakes, h.wakes.Load(), "React(nil) calls")
	// Data frames still reach React as frames.
	require.NoError(t, testutil.RoundTrip(conn, []byte("data")))
	require.EqualValues(t, wakes, h.wakes.Load(), "a data frame was taken for a wake-up")
}

func TestFlushWriteFromAnotherGoroutineReturnsOnlyOnceTheBytesAreWritten(t *testing.T) {
	cases := []struct {
		name string
		size int
	}{
		{name: "small", size: 9},
		{name: "8 MiB, more than the socket buffers hold", size: 8 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newConnKeeper()
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
			conn := testutil.Dial(t, srv.Addr)
			// A small receive buffer keeps what the kernel can hold for us far below the payload.
			require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(64<<10))
			c := h.nextConn(t)
			queued := []byte("queued before;")
			require.NoError(t, c.AsyncWrite(queued))
			payload := testutil.Payload(tc.size, 3)

			flushed := make(chan struct{})
			go func() {
				c.FlushWrite(payload)
				close(flushed)
			}()
			if tc.size >= 8<<20 {
				// Nobody reads yet, so the bytes cannot all have been written: FlushWrite must
				// still be waiting. (A correct engine passes this however long we look.)
				select {
				case <-flushed:
					t.Fatal("FlushWrite returned while the client had read nothing of 8 MiB")
				case <-time.After(200 * time.Millisecond):
				}
			}
			expectRead(t, conn, queued)
			expectRead(t, conn, payload)
			select {
			case <-flushed:
			case <-time.After(testutil.WaitLimit):
				t.Fatal("FlushWrite did not return after every byte was read")
			}
		})
	}
}

func TestFlushWriteReturnsEarlyWhenTheConnectionCloses(t *testing.T) {
	t.Parallel()
	h := newConnKeeper()
	srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0")
	conn := testutil.Dial(t, srv.Addr)
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(64<<10))
	c := h.nextConn(t)
	flushed := make(chan struct{})
	go func() {
		c.FlushWrite(testutil.Payload(16<<20, 4))
		close(flushed)
	}()
	// The client goes away without reading: the writer must be released, not left waiting
	// for the write timeout.
	require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
	require.NoError(t, conn.Close())
	select {
	case <-flushed:
	case <-time.After(server.DefaultWriteTimeout / 2):
		t.Fatal("FlushWrite kept waiting on a connection that was reset")
	}
	closure := h.WaitClosures(t, 1)[0]
	require.Error(t, closure.Err)
}
