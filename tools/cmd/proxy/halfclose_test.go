package main

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// halfCloseBackend serves one scripted session per connection on loopback, run by session in
// its own goroutine; the connection is closed when session returns.
func halfCloseBackend(t *testing.T, session func(*net.TCPConn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() }) // closing stops the accept loop; nothing else to check
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				// The backend's end of a test session: how its close goes affects no assertion.
				defer func() { _ = nc.Close() }()
				_ = nc.SetDeadline(time.Now().Add(ioDeadline))
				session(nc.(*net.TCPConn))
			}()
		}
	}()
	return ln.Addr().String()
}

// dialProxy connects to the proxy with the test's I/O deadline set.
func dialProxy(t *testing.T, addr string) *net.TCPConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	require.NoError(t, nc.SetDeadline(time.Now().Add(ioDeadline)))
	return nc.(*net.TCPConn)
}

func TestProxyRelaysTheClientsEndOfStreamAndStillDeliversTheAnswer(t *testing.T) {
	// The backend answers only once the request has ended, as a server reading a request up
	// to end of file does; without half-close the proxy would close the pair at the client's
	// end of stream and the answer would be lost.
	backend := halfCloseBackend(t, func(nc *net.TCPConn) {
		request, err := io.ReadAll(nc)
		if err != nil {
			return // health checks and broken sessions get no answer
		}
		if len(request) == 0 {
			return // a health check: it connects and hangs up
		}
		_, _ = nc.Write(append([]byte("received: "), request...))
	})
	rp := startProxy(t, []string{backend})
	nc := dialProxy(t, rp.addr)
	_, err := nc.Write([]byte("the whole request"))
	require.NoError(t, err)
	require.NoError(t, nc.CloseWrite())

	answer, err := io.ReadAll(nc)
	require.NoError(t, err, "the answer ends with end of file once the backend has closed")
	assert.Equal(t, "received: the whole request", string(answer))
}

func TestProxyRelaysTheBackendsEndOfStreamAndKeepsRelayingTheClient(t *testing.T) {
	// The backend sends a banner, ends its side, and then reads the client to end of file.
	got := make(chan string, 1)
	backend := halfCloseBackend(t, func(nc *net.TCPConn) {
		if _, err := nc.Write([]byte("banner")); err != nil {
			return
		}
		if err := nc.CloseWrite(); err != nil {
			return
		}
		rest, err := io.ReadAll(nc)
		if err == nil && len(rest) > 0 {
			got <- string(rest)
		}
	})
	rp := startProxy(t, []string{backend})
	nc := dialProxy(t, rp.addr)
	banner, err := io.ReadAll(nc)
	require.NoError(t, err, "the client reads end of file after the banner")
	assert.Equal(t, "banner", string(banner))

	_, err = nc.Write([]byte("sent after the backend finished"))
	require.NoError(t, err)
	require.NoError(t, nc.CloseWrite())
	select {
	case rest := <-got:
		assert.Equal(t, "sent after the backend finished", rest)
	case <-time.After(ioDeadline):
		t.Fatal("the backend never received the client's bytes sent after its end of stream")
	}
}
