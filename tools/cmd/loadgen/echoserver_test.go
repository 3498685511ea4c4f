package main

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// testEchoServer is the tiny std net echo server the load generator is tested against.
// With corruptAt >= 0 it flips the byte at that offset of every connection's stream.
type testEchoServer struct {
	addr      string
	corruptAt int64

	accepted atomic.Int64
	closed   atomic.Int64
	echoed   atomic.Int64
}

// startTestEchoServer listens on a loopback TCP port from :0, or on a Unix socket in a
// temporary folder, and stops when the test ends.
func startTestEchoServer(t *testing.T, network string, corruptAt int64) *testEchoServer {
	t.Helper()
	address := "127.0.0.1:0"
	if network == "unix" {
		address = t.TempDir() + "/echo.sock"
	}
	ln, err := net.Listen(network, address)
	require.NoError(t, err)
	return serveTestEcho(t, ln, corruptAt)
}

// serveTestEcho runs the echo server on ln until the test ends.
func serveTestEcho(t *testing.T, ln net.Listener, corruptAt int64) *testEchoServer {
	t.Helper()
	s := &testEchoServer{corruptAt: corruptAt}
	s.addr = ln.Addr().Network() + "://" + ln.Addr().String()

	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.accepted.Add(1)
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() {
		require.NoError(t, ln.Close())
		mu.Lock()
		for _, c := range conns {
			// The test is over; connections the client already closed fail here harmlessly.
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

func (s *testEchoServer) serve(conn net.Conn) {
	defer s.closed.Add(1)
	defer func() {
		// Closing answers the client's close (over TLS, with close_notify); the client
		// has gone either way.
		_ = conn.Close()
	}()
	buf := make([]byte, 4096)
	var offset int64
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if s.corruptAt >= offset && s.corruptAt < offset+int64(n) {
				buf[s.corruptAt-offset] ^= 0x20
			}
			offset += int64(n)
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
			s.echoed.Add(int64(n))
		}
		if err != nil {
			// EOF, reset or a closed listener: the client ended its run or the test did.
			return
		}
	}
}
