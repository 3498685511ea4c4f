package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// ioDeadline bounds every socket exchange of a test, so a broken proxy fails instead of hanging.
const ioDeadline = 30 * time.Second

// echoBackend is a std net echo server on loopback; sessions counts the connections that
// carried data (health checks connect and send nothing).
func echoBackend(t *testing.T) (addr string, sessions *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() }) // closing stops the accept loop; nothing else to check
	sessions = new(atomic.Int32)
	go serveEcho(ln, sessions)
	return ln.Addr().String(), sessions
}

func serveEcho(ln net.Listener, sessions *atomic.Int32) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			// The backend's end of a test connection: how its close goes affects no assertion.
			defer func() { _ = nc.Close() }()
			buf := make([]byte, 32<<10)
			for first := true; ; first = false {
				n, err := nc.Read(buf)
				if n > 0 && first {
					sessions.Add(1)
				}
				if n > 0 {
					if _, werr := nc.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// closedAddr returns a loopback address on which nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// logRecorder keeps the proxy's log lines; safe from any goroutine, also after the test.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *logRecorder) contains(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, line := range r.lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// runningProxy is a proxy serving on loopback for one test.
type runningProxy struct {
	addr string
	pool *pool
	logs *logRecorder
}

// Write watermarks of the test proxies: small, so that relays of a MiB exercise pausing.
const lowWatermark, highWatermark = 16 << 10, 64 << 10

// startProxy serves a proxy in front of backends, on two loops, with small write watermarks
// so that the relays above exercise pausing; everything stops at the test's cleanup.
func startProxy(t *testing.T, backends []string) runningProxy {
	t.Helper()
	return startWrappedProxy(t, backends, func(p *proxy) api.EventHandler { return p })
}

// startWrappedProxy is startProxy serving the handler wrap makes around the proxy.
func startWrappedProxy(t *testing.T, backends []string, wrap func(*proxy) api.EventHandler) runningProxy {
	t.Helper()
	cfg := config{loops: 2, backends: backends, healthInterval: 50 * time.Millisecond, dialTimeout: 2 * time.Second}
	logs := &logRecorder{}
	p := newProxy(cfg, logs.logf)
	p.quiet = true // keeps the start-up line out of the test output; state changes still go to logs
	started := make(chan api.Server, 1)
	p.onInit = func(srv api.Server) { started <- srv }
	ctx, stopChecks := context.WithCancel(context.Background())
	checks := startHealthChecks(ctx, p.pool, cfg.healthInterval, cfg.dialTimeout)
	t.Cleanup(func() { stopChecks(); checks.Wait() })
	opts := append(serveOptions(cfg), server.WithBlock(false), server.WithWriteWatermarks(lowWatermark, highWatermark))
	require.NoError(t, server.Serve(wrap(p), "tcp://127.0.0.1:0", opts...))
	srv := <-started
	t.Cleanup(srv.Close)
	return runningProxy{addr: srv.Addr.String(), pool: p.pool, logs: logs}
}

// exchange sends every message on a new connection through the proxy, from its own
// goroutine, and returns everything read back once as many bytes have come back.
func exchange(addr string, messages [][]byte) ([]byte, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	// The client's end: the bytes read back are what is checked, not how the close goes.
	defer func() { _ = nc.Close() }()
	if err := nc.SetDeadline(time.Now().Add(ioDeadline)); err != nil {
		return nil, err
	}
	total := 0
	for _, m := range messages {
		total += len(m)
	}
	writeErr := make(chan error, 1)
	go func() {
		for _, m := range messages {
			if _, err := nc.Write(m); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	}()
	got := make([]byte, total)
	_, readErr := io.ReadFull(nc, got)
	return got, errors.Join(readErr, <-writeErr)
}

func randomMessages(t *testing.T, count, size int) [][]byte {
	t.Helper()
	messages := make([][]byte, count)
	for i := range messages {
		messages[i] = make([]byte, size)
		_, err := rand.Read(messages[i])
		require.NoError(t, err)
	}
	return messages
}

func TestProxyEchoesEveryByteExactlyForSeveralClients(t *testing.T) {
	tests := []struct {
		name     string
		clients  int
		messages int
		size     int
	}{
		{name: "one MiB per client", clients: 3, messages: 1, size: 1 << 20},
		{name: "many small messages per client", clients: 4, messages: 500, size: 37},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backendA, _ := echoBackend(t)
			backendB, _ := echoBackend(t)
			px := startProxy(t, []string{backendA, backendB})

			sent := make([][][]byte, tt.clients)
			for i := range sent {
				sent[i] = randomMessages(t, tt.messages, tt.size)
			}
			got := make([][]byte, tt.clients)
			errs := make([]error, tt.clients)
			var wg sync.WaitGroup
			for i := range tt.clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i], errs[i] = exchange(px.addr, sent[i])
				}()
			}
			wg.Wait()
			for i := range tt.clients {
				require.NoError(t, errs[i], "client %d", i)
				assert.True(t, bytes.Equal(bytes.Join(sent[i], nil), got[i]), "client %d got back exactly what it sent", i)
			}
		})
	}
}

func TestProxySpreadsConnectionsRoundRobinOverBothBackends(t *testing.T) {
	backendA, sessionsA := echoBackend(t)
	backendB, sessionsB := echoBackend(t)
	var counting *openCountingProxy
	px := startWrappedProxy(t, []string{backendA, backendB}, func(p *proxy) api.EventHandler {
		counting = &openCountingProxy{proxy: p}
		return counting
	})

	const clients = 6
	for i := range clients {
		msg := []byte(fmt.Sprintf("client %d\n", i))
		got, err := exchange(px.addr, [][]byte{msg})
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	assert.Equal(t, int32(clients/2), sessionsA.Load(), "backend A served every other client")
	assert.Equal(t, int32(clients/2), sessionsB.Load(), "backend B served every other client")
	assert.Equal(t, int32(2*clients), counting.opened.Load(),
		"each client opened one frontend and one backend, and a dialed backend dialed nothing itself")
}

// openCountingProxy counts the connections the proxy opened, accepted and dialed.
type openCountingProxy struct {
	*proxy
	opened atomic.Int32
}

func (cp *openCountingProxy) OnOpened(c api.Conn) ([]byte, api.Action) {
	cp.opened.Add(1)
	return cp.proxy.OnOpened(c)
}

func TestProxySkipsADownBackendAndStillServesEveryClient(t *testing.T) {
	live, sessions := echoBackend(t)
	dead := closedAddr(t)
	px := startProxy(t, []string{dead, live})

	const clients = 4
	for i := range clients {
		msg := []byte(fmt.Sprintf("client %d\n", i))
		got, err := exchange(px.addr, [][]byte{msg})
		require.NoError(t, err)
		require.Equal(t, msg, got)
	}
	assert.Equal(t, int32(clients), sessions.Load(), "the live backend served every client")
	assert.False(t, px.pool.healthy(0), "the dead backend is out of rotation")
	assert.True(t, px.logs.contains("backend "+dead+" down"), "the state change was logged")
}

func TestProxyClosesTheClientWhenEveryBackendIsDown(t *testing.T) {
	px := startProxy(t, []string{closedAddr(t), closedAddr(t)})

	nc, err := net.Dial("tcp", px.addr)
	require.NoError(t, err)
	// The client's end: the test checks that the proxy closed it, not how our close goes.
	defer func() { _ = nc.Close() }()
	require.NoError(t, nc.SetDeadline(time.Now().Add(ioDeadline)))
	n, err := nc.Read(make([]byte, 1))
	assert.Zero(t, n)
	require.ErrorIs(t, err, io.EOF, "the proxy closed the connection it could not serve")
}

func TestHealthCheckReturnsARecoveredBackendToRotation(t *testing.T) {
	addr := closedAddr(t)
	px := startProxy(t, []string{addr})
	require.Eventually(t, func() bool { return !px.pool.healthy(0) }, ioDeadline, 10*time.Millisecond,
		"the check marks a backend that refuses as down")

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port of the down backend was taken meanwhile: %v", err)
	}
	t.Cleanup(func() { _ = ln.Close() }) // closing stops the accept loop; nothing else to check
	sessions := new(atomic.Int32)
	go serveEcho(ln, sessions)
	require.Eventually(t, func() bool { return px.pool.healthy(0) }, ioDeadline, 10*time.Millisecond,
		"the check marks the backend up once it accepts again")
	got, err := exchange(px.addr, [][]byte{[]byte("back\n")})
	require.NoError(t, err)
	assert.Equal(t, "back\n", string(got))
	assert.True(t, px.logs.contains("backend "+addr+" up"), "the recovery was logged")
}

func TestCurlThroughTheProxyGetsTheBackendsPage(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not on PATH")
	}
	const page = "hello through the proxy\n"
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, page) // a failed write shows up as curl's output being wrong
	}))
	t.Cleanup(web.Close)
	px := startProxy(t, []string{web.Listener.Addr().String()})

	ctx, cancel := context.WithTimeout(context.Background(), ioDeadline)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "--silent", "--show-error", "http://"+px.addr+"/").Output()
	require.NoError(t, err)
	assert.Equal(t, page, string(out))
}

func TestProxyDialsANamedBackendAtTheAddressItsHealthCheckResolved(t *testing.T) {
	backend, sessions := echoBackend(t)
	_, port, err := net.SplitHostPort(backend)
	require.NoError(t, err)
	named := net.JoinHostPort("localhost", port)
	px := startProxy(t, []string{named})
	require.Eventually(t, func() bool { _, _, ok := px.pool.pick(0, 0); return ok }, ioDeadline, 10*time.Millisecond,
		"the named backend becomes eligible once its check has resolved it")
	assert.Equal(t, backend, px.pool.dialTarget(0), "relays dial the address the check reached")

	got, err := exchange(px.addr, [][]byte{[]byte("by name\n")})
	require.NoError(t, err)
	assert.Equal(t, "by name\n", string(got))
	assert.Equal(t, int32(1), sessions.Load())
}
