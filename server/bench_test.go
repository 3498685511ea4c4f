package server_test

import (
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// benchEcho runs b.N round trips of size-byte messages, inflight at a time, over conns loopback
// connections to an echo server with one loop. Allocations reported include the client side,
// which reuses its buffers, so they are the server's. cpu-ns/op is the process's CPU time
// (user and system, client included) per message: on a shared machine it moves less than the
// wall time of ns/op.
func benchEcho(b *testing.B, conns, size, inflight int) {
	h := &echoServer{started: make(chan api.Server, 1)}
	if err := server.Serve(h, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(1)); err != nil {
		b.Fatal(err)
	}
	srv := <-h.started
	defer srv.Close()
	clients := make([]net.Conn, conns)
	defer func() {
		for _, c := range clients {
			if c != nil {
				_ = c.Close() // the benchmark is over; the server closes its side too
			}
		}
	}()
	for i := range clients {
		c, err := net.Dial("tcp", srv.Addr.String())
		if err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpuBefore := processCPU(b)
	var wg sync.WaitGroup
	per := b.N/(conns*inflight) + 1
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]byte, size*inflight)
			in := make([]byte, size*inflight)
			for range per {
				if _, err := c.Write(out); err != nil {
					b.Error(err)
					return
				}
				if _, err := io.ReadFull(c, in); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(processCPU(b)-cpuBefore)/float64(per*conns*inflight), "cpu-ns/op")
}

// processCPU returns the user and system CPU time the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		b.Fatal(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func BenchmarkEcho64BOneInFlight(b *testing.B)     { benchEcho(b, 100, 64, 1) }
func BenchmarkEcho64BSixteenInFlight(b *testing.B) { benchEcho(b, 100, 64, 16) }
func BenchmarkEcho4KiBOneInFlight(b *testing.B)    { benchEcho(b, 50, 4096, 1) }
