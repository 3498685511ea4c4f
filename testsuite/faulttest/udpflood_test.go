package faulttest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// udpEcho answers every datagram with itself, except those that begin with "panic", which
// make React panic.
type udpEcho struct {
	testutil.Recorder
	reacted  atomic.Int64
	panicked atomic.Int64
}

func (h *udpEcho) React(frame []byte, c api.Conn) api.Action {
	h.reacted.Add(1)
	if bytes.HasPrefix(frame, []byte("panic")) {
		h.panicked.Add(1)
		panic("faulttest: a datagram asked for it")
	}
	_ = c.AsyncWrite(frame) // a reply the sender's socket cannot take is dropped, as UDP drops it
	return api.None
}

// udpFloodCounts is what the hostile senders sent.
type udpFloodCounts struct {
	flood, garbage, panics atomic.Int64
}

// floodDatagrams sends datagrams of 1.4 to 22 KiB to addr, never reading, until stop is closed
// or maxDatagrams have gone.
func floodDatagrams(addr *net.UDPAddr, seed uint64, stop <-chan struct{}, maxDatagrams int, counts *udpFloodCounts) error {
	conn, err := net.DialUDP("udp", nil, addr)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	for i := range maxDatagrams {
		select {
		case <-stop:
			return nil
		default:
		}
		size := 1400 + int((seed*7919+uint64(i)*104729)%(21*1024))
		if _, err := conn.Write(testutil.Payload(size, seed+uint64(i))); err != nil && !errors.Is(err, syscall.ECONNREFUSED) {
			return err
		}
		counts.flood.Add(1)
	}
	return nil
}

func TestUDPFloodGarbageAndPanicsLeaveAWellBehavedSenderAnsweredAndMemoryBounded(t *testing.T) {
	const (
		flooders = 4
		maxFlood = 20000
		// floodBeforeRequests is how many flood datagrams go before the first request.
		floodBeforeRequests = 8000
		panics              = 50
		maxPanicSends       = 20000
		garbageMax          = 2048
		requests            = 100
		tries               = 50
		heapGrowthCeil      = 32 << 20
	)
	before := testutil.Snapshot(t)
	t.Run("flood", func(t *testing.T) {
		h := new(udpEcho)
		logger := new(testutil.Logger)
		srv, _ := testutil.ServeInBackground(t, h, "udp://127.0.0.1:0", server.WithLoopNum(2), server.WithLogger(logger))
		addr := srv.Addr.(*net.UDPAddr)
		heapBefore := liveHeap()

		counts := new(udpFloodCounts)
		stop := make(chan struct{})
		errs := make(chan error, flooders+2)
		var wg sync.WaitGroup
		for i := range flooders {
			wg.Go(func() { errs <- floodDatagrams(addr, uint64(i), stop, maxFlood, counts) })
		}
		wg.Go(func() {
			conn, err := net.DialUDP("udp", nil, addr)
			if err != nil {
				errs <- err
				return
			}
			defer func() { _ = conn.Close() }()
			for size := 0; size <= garbageMax; size++ { // every size, the empty datagram too
				if _, err := conn.Write(testutil.Payload(size, uint64(size))); err != nil {
					errs <- err
					return
				}
				counts.garbage.Add(1)
			}
			errs <- nil
		})
		wg.Go(func() {
			conn, err := net.DialUDP("udp", nil, addr)
			if err != nil {
				errs <- err
				return
			}
			defer func() { _ = conn.Close() }()
			// The flood fills the server's socket buffer, where the kernel drops what does
			// not fit: send until enough of these datagrams have reached React.
			for i := 0; i < maxPanicSends && h.panicked.Load() < panics; i++ {
				if _, err := fmt.Fprintf(conn, "panic %d", i); err != nil {
					errs <- err
					return
				}
				counts.panics.Add(1)
				time.Sleep(time.Millisecond)
			}
			errs <- nil
		})

		// The well-behaved sender starts once the flood is under way.
		require.Eventually(t, func() bool { return counts.flood.Load() >= floodBeforeRequests }, testutil.WaitLimit, testutil.PollEvery)
		client, err := net.DialUDP("udp", nil, addr)
		require.NoError(t, err)
		defer func() { _ = client.Close() }()
		reply := make([]byte, 64)
		retries := 0
		for i := range requests {
			req := fmt.Appendf(nil, "request %d", i)
			answered := false
			for try := 0; try < tries && !answered; try++ {
				if try > 0 {
					retries++
				}
				_, err := client.Write(req)
				require.NoError(t, err)
				// Replies to earlier tries may come late: read until ours or the deadline.
				require.NoError(t, client.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
				for !answered {
					n, err := client.Read(reply)
					if errors.Is(err, os.ErrDeadlineExceeded) {
						break
					}
					require.NoError(t, err)
					answered = bytes.Equal(reply[:n], req)
				}
			}
			require.True(t, answered, "request %d unanswered after %d tries", i, tries)
		}
		close(stop)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		heapGrowth := int64(liveHeap()) - int64(heapBefore)

		require.Less(t, heapGrowth, int64(heapGrowthCeil), "the heap grew by %d bytes under the flood", heapGrowth)
		require.GreaterOrEqual(t, h.panicked.Load(), int64(panics), "the panicking datagrams never reached React")
		logged := func() int {
			n := 0
			for _, line := range logger.Lines() {
				if strings.Contains(line, "panicked") {
					n++
				}
			}
			return n
		}
		// Datagrams still queued in the socket may panic after the senders are done.
		require.Eventually(t, func() bool { return logged() == int(h.panicked.Load()) }, testutil.WaitLimit, testutil.PollEvery,
			"every panic in React is logged")
		panicked := logged()
		hostile := counts.flood.Load() + counts.garbage.Load() + counts.panics.Load()
		t.Logf("udp: %d requests answered (%d retries) among %d hostile datagrams sent (%d flood, %d garbage, %d panics), %d datagrams reached React, %d panics contained and logged; heap %+d bytes",
			requests, retries, hostile, counts.flood.Load(), counts.garbage.Load(), counts.panics.Load(), h.reacted.Load(), panicked, heapGrowth)
	})
	testutil.RequireNoLeaks(t, before)
}
