package clienttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// recorder is a client handler that collects what its connections receive.
type recorder struct {
	api.EventServer
	mu       sync.Mutex
	received map[api.Conn]*bytes.Buffer
	opened   atomic.Int32
	closed   chan error
}

func newRecorder() *recorder {
	return &recorder{received: make(map[api.Conn]*bytes.Buffer), closed: make(chan error, 10000)}
}

func (r *recorder) OnOpened(c api.Conn) ([]byte, api.Action) {
	r.opened.Add(1)
	return nil, api.None
}

func (r *recorder) OnClosed(c api.Conn, err error) api.Action {
	r.closed <- err
	return api.None
}

func (r *recorder) React(frame []byte, c api.Conn) api.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.received[c]
	if b == nil {
		b = new(bytes.Buffer)
		r.received[c] = b
	}
	b.Write(frame)
	return api.None
}

func (r *recorder) bytesFor(c api.Conn) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b := r.received[c]; b != nil {
		return append([]byte(nil), b.Bytes()...)
	}
	return nil
}

// echoHandler is a server that writes every frame back.
type echoHandler struct {
	api.EventServer
	started chan api.Server
}

func (e *echoHandler) OnInitComplete(s api.Server) api.Action {
	e.started <- s
	return api.None
}

func (e *echoHandler) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame)
	return api.None
}

// startEcho runs one of our echo servers on addr and returns its address.
func startEcho(t *testing.T, addr string) net.Addr {
	t.Helper()
	h := &echoHandler{started: make(chan api.Server, 1)}
	require.NoError(t, server.Serve(h, addr, server.WithBlock(false), server.WithLoopNum(2)))
	srv := <-h.started
	t.Cleanup(srv.Close)
	return srv.Addr
}

// startClient starts a client with handler and stops it at cleanup.
func startClient(t *testing.T, h api.EventHandler, opts ...server.Option) *server.ClientManage {
	t.Helper()
	cm := server.Client(h, append([]server.Option{server.WithLoopNum(2)}, opts...)...)
	require.NoError(t, cm.Start())
	t.Cleanup(cm.Stop)
	return cm
}

func TestClientEchoesThroughOurServerOnEveryNetwork(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "echo.sock")
	cases := []struct {
		name, serve, network string
	}{
		{name: "tcp", serve: "tcp://127.0.0.1:0", network: "tcp"},
		{name: "tcp4", serve: "tcp4://127.0.0.1:0", network: "tcp4"},
		{name: "tcp6", serve: "tcp6://[::1]:0", network: "tcp6"},
		{name: "udp", serve: "udp://127.0.0.1:0", network: "udp"},
		{name: "udp4", serve: "udp4://127.0.0.1:0", network: "udp4"},
		{name: "udp6", serve: "udp6://[::1]:0", network: "udp6"},
		{name: "unix", serve: "unix://" + sock, network: "unix"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.network == "tcp6" || tc.network == "udp6" {
				if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
					t.Skip("no IPv6 loopback on this host")
				} else {
					_ = ln.Close()
				}
			}
			addr := startEcho(t, tc.serve)
			rec := newRecorder()
			cm := startClient(t, rec)
			c, err := cm.Dial(tc.network, addr.String())
			require.NoError(t, err)
			require.EqualValues(t, 1, rec.opened.Load(), "OnOpened fired before Dial returned")
			msg := []byte("hello over " + tc.name)
			require.NoError(t, c.AsyncWrite(msg))
			require.Eventually(t, func() bool { return bytes.Equal(rec.bytesFor(c), msg) },
				5*time.Second, 5*time.Millisecond)
		})
	}
}

func TestClientTalksToAStandardLibraryServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	// Only stops the accept loop once the test is over; a failed close changes nothing checked here.
	defer func() { _ = ln.Close() }()
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(nc, nc); _ = nc.Close() }()
		}
	}()
	rec := newRecorder()
	cm := startClient(t, rec)
	c, err := cm.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	go c.FlushWrite(payload)
	require.Eventually(t, func() bool { return len(rec.bytesFor(c)) == len(payload) },
		10*time.Second, 10*time.Millisecond)
	require.True(t, bytes.Equal(rec.bytesFor(c), payload), "1 MiB echoed byte-exact")
	require.NoError(t, c.Close())
	select {
	case err := <-rec.closed:
		require.NoError(t, err, "a close we asked for reports no error")
	case <-time.After(5 * time.Second):
		t.Fatal("OnClosed did not fire")
	}
}

func TestDialToAClosedPortFailsWithConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	rec := newRecorder()
	cm := startClient(t, rec)
	c, err := cm.Dial("tcp", addr)
	require.Error(t, err)
	assert.Nil(t, c)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED, "got %v", err)
	assert.Zero(t, rec.opened.Load())
	select {
	case err := <-rec.closed:
		t.Fatalf("OnClosed fired for a connection that never opened: %v", err)
	default:
	}
}

// fullBacklogListener returns the address of a listener that never accepts and whose accept
// queue is full, so that further connects are left unanswered.
func fullBacklogListener(t *testing.T) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = unix.Close(fd) })
	require.NoError(t, unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	require.NoError(t, unix.Listen(fd, 0))
	sa, err := unix.Getsockname(fd)
	require.NoError(t, err)
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*unix.SockaddrInet4).Port)
	// Fill the accept queue; past it the kernel drops SYNs and connects hang.
	for range 8 {
		d := net.Dialer{Timeout: 200 * time.Millisecond}
		if nc, err := d.Dial("tcp", addr); err == nil {
			t.Cleanup(func() { _ = nc.Close() })
		}
	}
	return addr
}

func TestDialContextToAListenerThatNeverAnswersEndsWithTheContext(t *testing.T) {
	addr := fullBacklogListener(t)
	rec := newRecorder()
	cm := startClient(t, rec)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	c, err := cm.DialContext(ctx, "tcp", addr)
	if err == nil {
		// Some kernels answer one connect beyond the backlog; that is not a hang either.
		_ = c.Close()
		t.Skip("the kernel accepted a connect past the backlog")
	}
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, rec.opened.Load())
}

func TestDialWithMalformedAddressOrUnknownNetworkFails(t *testing.T) {
	cm := startClient(t, newRecorder())
	_, err := cm.Dial("tcp", "no-port-here")
	assert.ErrorIs(t, err, server.ErrInvalidAddress)
	_, err = cm.Dial("sctp", "127.0.0.1:1")
	assert.ErrorIs(t, err, server.ErrUnsupportedNetwork)
}

func TestDialBeforeStartAndAfterStopFails(t *testing.T) {
	cm := server.Client(newRecorder())
	_, err := cm.Dial("tcp", "127.0.0.1:1")
	assert.ErrorIs(t, err, server.ErrClientNotStarted)
	require.NoError(t, cm.Start())
	assert.ErrorIs(t, cm.Start(), server.ErrClientStarted)
	cm.Stop()
	_, err = cm.Dial("tcp", "127.0.0.1:1")
	assert.ErrorIs(t, err, server.ErrServerShutdown)
}

func TestFiveThousandConcurrentClientConnectionsEcho(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 10,000 descriptors")
	}
	const conns = 5000
	addr := startEcho(t, "tcp://127.0.0.1:0")
	rec := newRecorder()
	cm := startClient(t, rec)
	all := make([]api.Conn, conns)
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := cm.Dial("tcp", addr.String())
			if err != nil {
				errs <- err
				return
			}
			all[i] = c
			if err := c.AsyncWrite(fmt.Appendf(nil, "conn %05d", i)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		for i, c := range all {
			if string(rec.bytesFor(c)) != fmt.Sprintf("conn %05d", i) {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond, "every connection got its own echo")
	cm.Stop()
	for range conns {
		select {
		case err := <-rec.closed:
			assert.ErrorIs(t, err, server.ErrServerShutdown)
		case <-time.After(10 * time.Second):
			t.Fatal("not every connection saw OnClosed after Stop")
		}
	}
}

func TestAsyncWriteFromManyGoroutinesKeepsEachGoroutinesOrder(t *testing.T) {
	addr := startEcho(t, "tcp://127.0.0.1:0")
	rec := newRecorder()
	cm := startClient(t, rec)
	c, err := cm.Dial("tcp", addr.String())
	require.NoError(t, err)
	const writers, each = 8, 500
	var wg sync.WaitGroup
	// require may only stop the test goroutine: each writer records its first failure, and
	// the test checks them once all writers are done.
	errs := make([]error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := c.AsyncWrite(fmt.Appendf(nil, "<%d:%04d>", w, i)); err != nil {
					errs[w] = fmt.Errorf("writer %d, message %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	want := writers * each * len("<0:0000>")
	require.Eventually(t, func() bool { return len(rec.bytesFor(c)) == want }, 10*time.Second, 5*time.Millisecond)
	got := rec.bytesFor(c)
	next := make([]int, writers)
	for i := 0; i < len(got); i += len("<0:0000>") {
		var w, n int
		_, err := fmt.Sscanf(string(got[i:i+len("<0:0000>")]), "<%d:%04d>", &w, &n)
		require.NoError(t, err, "messages arrive whole")
		require.Equal(t, next[w], n, "writer %d's messages arrive in order", w)
		next[w]++
	}
}

func TestEnrollTakesOverAnEstablishedConnection(t *testing.T) {
	addr := startEcho(t, "tcp://127.0.0.1:0")
	nc, err := net.Dial("tcp", addr.String())
	require.NoError(t, err)
	rec := newRecorder()
	cm := startClient(t, rec)
	c, err := cm.Enroll(nc)
	require.NoError(t, err)
	require.Equal(t, addr.String(), c.RemoteAddr().String())
	require.NoError(t, c.AsyncWrite([]byte("enrolled")))
	require.Eventually(t, func() bool { return string(rec.bytesFor(c)) == "enrolled" }, 5*time.Second, 5*time.Millisecond)
	_, err = nc.Write([]byte("x"))
	require.Error(t, err, "the original net.Conn is closed")
}

// A client's statistics count its dialed connections, what they carried, and their closes.
func TestClientStatisticsCountDialedConnectionsAndCloseThemAsServerStopAtStop(t *testing.T) {
	addr := startEcho(t, "tcp://127.0.0.1:0")
	rec := newRecorder()
	cm := startClient(t, rec)
	const conns = 3
	msg := []byte("counted")
	for range conns {
		c, err := cm.Dial("tcp", addr.String())
		require.NoError(t, err)
		require.NoError(t, c.AsyncWrite(msg))
		require.Eventually(t, func() bool { return bytes.Equal(rec.bytesFor(c), msg) },
			5*time.Second, 5*time.Millisecond)
	}

	running := cm.Stats().Total
	cm.Stop()
	stopped := cm.Stats().Total

	require.EqualValues(t, conns, running.Dialed)
	require.Zero(t, running.Accepted)
	require.EqualValues(t, conns, running.ConnsOpen)
	require.EqualValues(t, conns*len(msg), running.BytesOut)
	require.EqualValues(t, conns*len(msg), running.BytesIn)
	require.EqualValues(t, conns, running.FramesOut)
	require.EqualValues(t, conns, stopped.Closed[api.CauseServerStop])
	require.Zero(t, stopped.ConnsOpen)
}
