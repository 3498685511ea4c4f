package faulttest

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Bounds on what may grow between the first and the last fifth of a soak. Goroutines and
// descriptors come and go with the reconnecting clients, so a few of each are noise; a leak
// per connection or per request would pass these within seconds.
const (
	soakGoroutineGrowth = 10
	soakFDGrowth        = 20
	soakHeapGrowth      = 16 << 20
)

// soakDuration is GNET_SOAK when set (a Go duration), three minutes with GNET_LONG=1, and
// ten seconds otherwise.
func soakDuration(t *testing.T) time.Duration {
	t.Helper()
	if s := os.Getenv("GNET_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		require.NoError(t, err, "GNET_SOAK must be a Go duration such as 30s")
		return d
	}
	if os.Getenv("GNET_LONG") == "1" {
		return 3 * time.Minute
	}
	return 10 * time.Second
}

// soakSample is the process's footprint at one moment of a soak.
type soakSample struct {
	goroutines, fds int
	heapInUse       uint64
}

func takeSoakSample(t *testing.T) soakSample {
	t.Helper()
	res := testutil.Snapshot(t)
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return soakSample{goroutines: res.Goroutines, fds: res.FDs, heapInUse: stats.HeapInuse}
}

// peak is the largest value of each measure over samples.
func peak(samples []soakSample) soakSample {
	var p soakSample
	for _, s := range samples {
		p.goroutines = max(p.goroutines, s.goroutines)
		p.fds = max(p.fds, s.fds)
		p.heapInUse = max(p.heapInUse, s.heapInUse)
	}
	return p
}

// soakEcho is an echo handler that counts connections instead of recording each one: the
// Recorder keeps every closed connection, which over a long soak would be the very heap
// growth the test looks for. It keeps the server and readiness through the Recorder.
type soakEcho struct {
	echoRecorder
	mu             sync.Mutex
	open           map[api.Conn]struct{}
	opened, closed int
	strayCloses    int
}

func (h *soakEcho) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.open == nil {
		h.open = make(map[api.Conn]struct{})
	}
	h.open[c] = struct{}{}
	h.opened++
	return nil, api.None
}

func (h *soakEcho) OnClosed(c api.Conn, _ error) api.Action {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.open[c]; !ok {
		h.strayCloses++ // closed twice, or never opened
	}
	delete(h.open, c)
	h.closed++
	return api.None
}

// counts returns how many connections were opened, closed, are open, and how many OnClosed
// calls matched no open connection.
func (h *soakEcho) counts() (opened, closed, open, stray int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.opened, h.closed, len(h.open), h.strayCloses
}

// soakTally is what the soak's clients did, for the report and the verdict.
type soakTally struct {
	roundTrips   atomic.Int64
	echoedBytes  atomic.Int64
	reconnects   atomic.Int64
	slowReadByte atomic.Int64
}

// echoUntil round-trips size-byte messages on one connection until stop is closed.
func echoUntil(addr net.Addr, size int, stop <-chan struct{}, tally *soakTally) error {
	conn, err := testutil.TryDial(addr)
	if err != nil {
		return err
	}
	defer func() {
		_ = conn.Close() // end of the client; nothing is pending
	}()
	for i := 0; ; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
			return err
		}
		if err := testutil.RoundTrip(conn, testutil.Payload(size, uint64(size)<<20|uint64(i))); err != nil {
			return err
		}
		tally.roundTrips.Add(1)
		tally.echoedBytes.Add(int64(size))
	}
}

// reconnectUntil dials, does three round trips and closes, over and over until stop is closed.
func reconnectUntil(addr net.Addr, stop <-chan struct{}, tally *soakTally) error {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		conn, err := testutil.TryDial(addr)
		if err != nil {
			return err
		}
		for j := range 3 {
			if err := testutil.RoundTrip(conn, testutil.Payload(100, uint64(i)<<8|uint64(j))); err != nil {
				return errors.Join(err, conn.Close())
			}
			tally.roundTrips.Add(1)
			tally.echoedBytes.Add(100)
		}
		if err := conn.Close(); err != nil {
			return err
		}
		tally.reconnects.Add(1)
	}
}

// slowReadUntil writes a stream as fast as the server takes it and reads the echo back a
// little at a time, so that the server keeps pausing and resuming it. Once stop is closed it
// stops writing, reads the rest and checks that every byte came back in order.
func slowReadUntil(addr net.Addr, stop <-chan struct{}, tally *soakTally) error {
	const seed, chunk = 77, 16 << 10
	conn, err := testutil.TryDial(addr)
	if err != nil {
		return err
	}
	defer func() {
		_ = conn.Close() // end of the client; the stream has been checked
	}()
	// No deadline on the writer: it ends when stop closes and the reader releases it by
	// reading, or when the connection fails.
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return err
	}
	var written atomic.Int64
	writerDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			n, err := conn.Write(testutil.PayloadWindow(seed, int(written.Load()), chunk))
			written.Add(int64(n))
			if err != nil {
				writerDone <- err
				return
			}
		}
	}()
	read := 0
	buf := make([]byte, 4<<10)
	for {
		select {
		case err := <-writerDone:
			if err != nil {
				return err
			}
			// The writer is done: read what is left without pausing.
			if err := conn.SetReadDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
				return err
			}
			rest := make([]byte, int(written.Load())-read)
			if _, err := io.ReadFull(conn, rest); err != nil {
				return err
			}
			if err := testutil.SameBytes(rest, testutil.PayloadWindow(seed, read, len(rest))); err != nil {
				return err
			}
			tally.slowReadByte.Add(int64(len(rest)))
			return nil
		default:
		}
		if err := conn.SetReadDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
			return err
		}
		n, err := conn.Read(buf)
		if err != nil {
			return err
		}
		if err := testutil.SameBytes(buf[:n], testutil.PayloadWindow(seed, read, n)); err != nil {
			return err
		}
		read += n
		tally.slowReadByte.Add(int64(n))
		time.Sleep(10 * time.Millisecond)
	}
}

// Not parallel: it samples the process's goroutines, descriptors and heap.
func TestSoakWithMixedTrafficGrowsNothingAndShutsDownClean(t *testing.T) {
	duration := soakDuration(t)
	before := testutil.Snapshot(t)
	t.Run("soak", func(t *testing.T) {
		h := new(soakEcho)
		srv, served := testutil.ServeInBackground(t, h, "tcp://127.0.0.1:0", server.WithLoopNum(2),
			server.WithWriteWatermarks(64<<10, 256<<10))
		stop := make(chan struct{})
		var tally soakTally
		clients := []func() error{
			func() error { return echoUntil(srv.Addr, 64, stop, &tally) },
			func() error { return echoUntil(srv.Addr, 1<<10, stop, &tally) },
			func() error { return echoUntil(srv.Addr, 16<<10, stop, &tally) },
			func() error { return echoUntil(srv.Addr, 256<<10, stop, &tally) },
			func() error { return reconnectUntil(srv.Addr, stop, &tally) },
			func() error { return reconnectUntil(srv.Addr, stop, &tally) },
			func() error { return slowReadUntil(srv.Addr, stop, &tally) },
		}
		results := make(chan error, len(clients))
		var wg sync.WaitGroup
		for _, client := range clients {
			wg.Go(func() { results <- client() })
		}

		start := time.Now()
		var first, last []soakSample
		for elapsed := time.Duration(0); elapsed < duration; elapsed = time.Since(start) {
			sample := takeSoakSample(t)
			switch {
			case elapsed < duration/5:
				first = append(first, sample)
			case elapsed >= duration-duration/5:
				last = append(last, sample)
			}
			time.Sleep(200 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		close(results)
		for err := range results {
			require.NoError(t, err, "a client failed: lost, reordered or refused")
		}

		require.NotEmpty(t, first)
		require.NotEmpty(t, last)
		early, late := peak(first), peak(last)
		require.LessOrEqual(t, late.goroutines, early.goroutines+soakGoroutineGrowth, "goroutines grew")
		require.LessOrEqual(t, late.fds, early.fds+soakFDGrowth, "descriptors grew")
		require.LessOrEqual(t, late.heapInUse, early.heapInUse+soakHeapGrowth, "heap in use grew")
		require.Positive(t, tally.reconnects.Load())
		require.Positive(t, tally.slowReadByte.Load())

		srv.Close()
		require.NoError(t, testutil.WaitServeReturn(t, served))
		opened, closed, open, stray := h.counts()
		require.Equal(t, opened, closed, "every opened connection was closed")
		require.Zero(t, open, "connections left open after shutdown")
		require.Zero(t, stray, "OnClosed calls for a connection not open")
		t.Logf("soak %v: %d round trips (%d bytes echoed), %d reconnects (%d connections), %d bytes through the slow reader, 0 lost; "+
			"peaks early/late: goroutines %d/%d, fds %d/%d, heap in use %d/%d",
			duration, tally.roundTrips.Load(), tally.echoedBytes.Load(), tally.reconnects.Load(), opened,
			tally.slowReadByte.Load(), early.goroutines, late.goroutines, early.fds, late.fds, early.heapInUse, late.heapInUse)
	})
	testutil.RequireNoLeaks(t, before)
}
