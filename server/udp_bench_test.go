package server_test

import (
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// benchUDPEcho runs b.N datagram round trips of size bytes, inflight at a time on each of
// sockets client sockets, to an echo server with one loop (benchEcho's conventions: the
// allocations reported are the server's, as the clients reuse their buffers, and cpu-ns/op
// is the whole process's CPU time per datagram). A datagram the kernel drops ends its
// socket's wait at a read deadline and is not counted.
func benchUDPEcho(b *testing.B, sockets, size, inflight int, opts ...server.Option) {
	h := &echoServer{started: make(chan api.Server, 1)}
	opts = append([]server.Option{server.WithBlock(false), server.WithLoopNum(1)}, opts...)
	if err := server.Serve(h, "udp4://127.0.0.1:0", opts...); err != nil {
		b.Fatal(err)
	}
	srv := <-h.started
	defer srv.Close()
	clients := make([]*net.UDPConn, sockets)
	defer func() {
		for _, c := range clients {
			if c != nil {
				_ = c.Close() // the benchmark is over
			}
		}
	}()
	for i := range clients {
		c, err := net.DialUDP("udp4", nil, srv.Addr.(*net.UDPAddr))
		if err != nil {
			b.Fatal(err)
		}
		clients[i] = c
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpuBefore := processCPU(b)
	mallocsBefore := mallocs()
	var wg sync.WaitGroup
	per := b.N/(sockets*inflight) + 1
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := make([]byte, size)
			in := make([]byte, size)
			for range per {
				for range inflight {
					if _, err := c.Write(out); err != nil {
						b.Error(err)
						return
					}
				}
				if err := c.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
					b.Error(err)
					return
				}
				for range inflight {
					if _, err := c.Read(in); err != nil {
						break // dropped on the way: the next window goes on
					}
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	datagrams := float64(per * sockets * inflight)
	b.ReportMetric(float64(processCPU(b)-cpuBefore)/datagrams, "cpu-ns/op")
	// allocs/op rounds down to a whole number; this shows a fraction of one per datagram.
	b.ReportMetric(float64(mallocs()-mallocsBefore)/datagrams, "mallocs/datagram")
}

// mallocs returns the process's heap allocations so far.
func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

func BenchmarkUDPEcho64B(b *testing.B) { benchUDPEcho(b, 16, 64, 8) }
func BenchmarkUDPEcho64BNoOffload(b *testing.B) {
	benchUDPEcho(b, 16, 64, 8, server.WithUDPGRO(false), server.WithUDPGSO(false))
}
func BenchmarkUDPEcho1400B(b *testing.B) { benchUDPEcho(b, 16, 1400, 8) }
