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
	benchUDPEchoWith(b, h, h, sockets, size, inflight, opts...)
}

// benchUDPEchoWith is benchUDPEcho with handler h, whose echoServer is es.
func benchUDPEchoWith(b *testing.B, h api.EventHandler, es *echoServer, sockets, size, inflight int, opts ...server.Option) {
	opts = append([]server.Option{server.WithBlock(false), server.WithLoopNum(1)}, opts...)
	if err := server.Serve(h, "udp4://127.0.0.1:0", opts...); err != nil {
		b.Fatal(err)
	}
	srv := <-es.started
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

// goroutineEcho answers every datagram from a goroutine of its own, as a handler that does
// blocking work before it replies does: with SendTo, or with a task on the datagram's loop
// (Execute) that calls SendTo there. Both join the loop's batch of replies; the second costs
// a closure per datagram, and stands for what a handler can do itself. The benchmarks
// compared SendTo's ways of sending from another goroutine when it had several.
type goroutineEcho struct {
	echoServer
	throughLoop bool
	loops       api.IEventLoopGroup
	work        chan keptReply
}

type keptReply struct {
	c    api.Conn
	data []byte
}

func (h *goroutineEcho) OnInitComplete(srv api.Server) api.Action {
	h.loops = srv.Loops
	return h.echoServer.OnInitComplete(srv)
}

func (h *goroutineEcho) React(frame []byte, c api.Conn) api.Action {
	h.work <- keptReply{c: c, data: append([]byte(nil), frame...)}
	return api.None
}

func (h *goroutineEcho) answer() {
	for r := range h.work {
		if !h.throughLoop {
			_ = r.c.SendTo(r.data) // a failed reply shows as a lost datagram
			continue
		}
		_ = h.loops.Loop(0).Execute(func() { _ = r.c.SendTo(r.data) }) // the same
	}
}

// benchUDPEchoFromGoroutine is benchUDPEcho with goroutineEcho as the server.
func benchUDPEchoFromGoroutine(b *testing.B, throughLoop bool, sockets, inflight int) {
	h := &goroutineEcho{echoServer: echoServer{started: make(chan api.Server, 1)}, throughLoop: throughLoop,
		work: make(chan keptReply, 1024)}
	go h.answer()
	defer close(h.work)
	benchUDPEchoWith(b, h, &h.echoServer, sockets, 64, inflight)
}

// A busy loop: 16 sockets × 8 datagrams in flight.
func BenchmarkUDPEchoFromGoroutineBySendTo(b *testing.B) {
	benchUDPEchoFromGoroutine(b, false, 16, 8)
}

func BenchmarkUDPEchoFromGoroutineThroughLoop(b *testing.B) {
	benchUDPEchoFromGoroutine(b, true, 16, 8)
}

// A loop that is idle when the reply is sent: one datagram in flight.
func BenchmarkUDPEchoFromGoroutineBySendToOneInFlight(b *testing.B) {
	benchUDPEchoFromGoroutine(b, false, 1, 1)
}

func BenchmarkUDPEchoFromGoroutineThroughLoopOneInFlight(b *testing.B) {
	benchUDPEchoFromGoroutine(b, true, 1, 1)
}
