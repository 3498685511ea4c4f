package tlstest

import (
	"crypto/tls"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// connHandler is an echo handler that hands every opened connection to the test. Under
// WithTls, OnOpened fires before the handshake.
type connHandler struct {
	echoHandler
	opened *testutil.Conns
}

func newConnHandler() *connHandler { return &connHandler{opened: testutil.NewConns(1)} }

func (h *connHandler) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.opened.Put(c)
	return h.Recorder.OnOpened(c)
}

// handshakeHeldBack gives a write made before the handshake time to return, if it returns
// without waiting for it, before the client sends its ClientHello. A correct engine waits for
// the handshake however long this is.
const handshakeHeldBack = 200 * time.Millisecond

func TestFlushWriteBeforeTheHandshakeReturnsOnlyOnceThePlaintextIsWrittenEncrypted(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	flushWrite := func(c api.Conn, p []byte) error {
		c.FlushWrite(p)
		return nil
	}
	writeAndFlush := func(c api.Conn, p []byte) error { return c.(api.Flusher).WriteAndFlush(p, false) }
	tests := []struct {
		name    string
		version uint16
		size    int
		flush   func(c api.Conn, p []byte) error
	}{
		{name: "FlushWrite, TLS 1.2, one record", version: tls.VersionTLS12, size: 100, flush: flushWrite},
		{name: "FlushWrite, TLS 1.3, one record", version: tls.VersionTLS13, size: 100, flush: flushWrite},
		{name: "FlushWrite, TLS 1.3, 4 MiB", version: tls.VersionTLS13, size: 4 << 20, flush: flushWrite},
		{name: "WriteAndFlush, TLS 1.2, one record", version: tls.VersionTLS12, size: 100, flush: writeAndFlush},
		{name: "WriteAndFlush, TLS 1.3, 4 MiB", version: tls.VersionTLS13, size: 4 << 20, flush: writeAndFlush},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newConnHandler()
			addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
			raw := dialRaw(t, addr)
			c := h.opened.Next(t)

			payload := testutil.Payload(tt.size, uint64(tt.size))
			var clientHelloSent atomic.Bool
			// sentBeforeReturn is whether the ClientHello had been sent when the write returned.
			sentBeforeReturn := make(chan bool, 1)
			outcome := make(chan error, 1)
			go func() {
				outcome <- tt.flush(c, payload)
				sentBeforeReturn <- clientHelloSent.Load()
			}()

			select {
			case sent := <-sentBeforeReturn:
				require.True(t, sent, "FlushWrite returned before the handshake had even begun")
			case <-time.After(handshakeHeldBack):
			}
			cfg := fixture.ClientConfig()
			cfg.MinVersion, cfg.MaxVersion = tt.version, tt.version
			conn := tls.Client(raw, cfg)
			clientHelloSent.Store(true)
			require.NoError(t, conn.Handshake())
			got := make([]byte, len(payload))
			_, err := io.ReadFull(conn, got)
			require.NoError(t, err)
			require.NoError(t, testutil.SameBytes(got, payload))
			select {
			case sent := <-sentBeforeReturn:
				require.True(t, sent, "FlushWrite returned before the handshake had even begun")
			case <-time.After(testutil.WaitLimit):
				t.Fatal("FlushWrite did not return once its bytes were read")
			}
			require.NoError(t, <-outcome)
		})
	}
}

// earlyFlusher writes from OnOpened, on the loop and before the handshake, with WriteAndFlush,
// and hands the outcome to the test.
type earlyFlusher struct {
	echoHandler
	outcomes chan error
}

func (h *earlyFlusher) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.outcomes <- c.(api.Flusher).WriteAndFlush([]byte(tlsGreeting), false)
	return h.Recorder.OnOpened(c)
}

func TestWriteAndFlushOnTheLoopBeforeTheHandshakeSaysTheBytesArePendingAndSendsThemAfter(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	h := &earlyFlusher{outcomes: make(chan error, 1)}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
	raw := dialRaw(t, addr)
	select {
	case err := <-h.outcomes:
		require.ErrorIs(t, err, server.ErrWritePending)
	case <-time.After(testutil.WaitLimit):
		t.Fatal("OnOpened never fired")
	}
	conn := tls.Client(raw, fixture.ClientConfig())
	require.NoError(t, conn.Handshake())
	testutil.ExpectRead(t, conn, tlsGreeting)
}

func TestWriteAndFlushWaitingForAHandshakeThatFailsReturnsErrConnClosed(t *testing.T) {
	fixture := tlsutil.NewFixture(t)
	h := newConnHandler()
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()))
	raw := dialRaw(t, addr)
	c := h.opened.Next(t)
	outcome := make(chan error, 1)
	go func() { outcome <- c.(api.Flusher).WriteAndFlush([]byte("never sent"), false) }()

	// Not a ClientHello: the handshake fails and the connection closes with its error.
	_, err := raw.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
	require.NoError(t, err)
	select {
	case err := <-outcome:
		require.ErrorIs(t, err, server.ErrConnClosed)
	case <-time.After(testutil.WaitLimit):
		t.Fatal("WriteAndFlush never returned")
	}
	require.Error(t, closedErr(t, h, raw.LocalAddr()), "the handshake's failure closed the connection")
}
