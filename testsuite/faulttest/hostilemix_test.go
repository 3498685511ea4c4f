package faulttest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

// mixPeers counts what the hostile mix's peers did and what they met.
type mixPeers struct {
	dials            atomic.Int64 // connections made, each one the server must open and close once
	churns           atomic.Int64 // connect-and-leave cycles
	cutLines         atomic.Int64 // slowloris lines the server cut
	heldBack         atomic.Int64 // flooders whose writes the server stopped taking
	garbage          atomic.Int64 // garbage peers whose stream ended
	resets           atomic.Int64 // peers that reset in the middle of a line
	mu               sync.Mutex
	failures         []error
	slowlorisRemotes []string
	resetRemotes     []string
}

func (p *mixPeers) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failures = append(p.failures, err)
}

func (p *mixPeers) note(list *[]string, remote string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	*list = append(*list, remote)
}

// mixNetwork is one transport the hostile mix runs over.
type mixNetwork struct {
	name string
	addr func(t *testing.T) string
	tls  bool
}

// dialRaw makes a connection without TLS, for peers that reset it or send garbage below TLS.
func (p *mixPeers) dialRaw(addr net.Addr) (net.Conn, error) {
	conn, err := testutil.TryDial(addr)
	if err == nil {
		p.dials.Add(1)
	}
	return conn, err
}

// dial makes a connection, under TLS when the server has it.
func (p *mixPeers) dial(addr net.Addr, cfg *tls.Config) (net.Conn, error) {
	conn, err := p.dialRaw(addr)
	if err != nil || cfg == nil {
		return conn, err
	}
	tc := tls.Client(conn, cfg)
	if err := tc.Handshake(); err != nil {
		_ = conn.Close() // the handshake error is the one worth reporting
		return nil, err
	}
	return tc, nil
}

// slowloris trickles a line that never ends until the server cuts it.
func (p *mixPeers) slowloris(addr net.Addr, cfg *tls.Config, maxFrame int) {
	conn, err := p.dial(addr, cfg)
	if err != nil {
		p.fail(fmt.Errorf("slowloris dial: %w", err))
		return
	}
	defer func() { _ = conn.Close() }() // the server has normally closed it already
	p.note(&p.slowlorisRemotes, conn.LocalAddr().String())
	chunk := bytes.Repeat([]byte("z"), 64)
	for sent := 0; sent < 8*maxFrame; sent += len(chunk) {
		if _, err := conn.Write(chunk); err != nil {
			p.cutLines.Add(1) // the server's close came back as a reset or a broken pipe
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The kernel may take the writes after the server closed; the server's end of stream
	// then tells.
	if _, err := io.Copy(io.Discard, conn); err == nil || !errors.Is(err, os.ErrDeadlineExceeded) {
		p.cutLines.Add(1)
		return
	}
	p.fail(errors.New("slowloris: the server never cut an endless line"))
}

// flooder sends lines without reading the echoes until the server stops taking them.
func (p *mixPeers) flooder(addr net.Addr, cfg *tls.Config) {
	conn, err := p.dial(addr, cfg)
	if err != nil {
		p.fail(fmt.Errorf("flooder dial: %w", err))
		return
	}
	defer func() { _ = conn.Close() }()
	line := append(bytes.Repeat([]byte("f"), 1000), '\n')
	for pushed := 0; pushed < 32<<20; pushed += len(line) {
		// The deadline detects that the server holds our writes back; its length decides
		// nothing.
		if err := conn.SetWriteDeadline(time.Now().Add(500 * time.Millisecond)); err != nil {
			p.fail(err)
			return
		}
		if _, err := conn.Write(line); err != nil {
			p.heldBack.Add(1) // held back (deadline) or closed at the outbound limit
			return
		}
	}
	p.fail(errors.New("flooder: the server took 32 MiB from a peer that reads nothing"))
}

// churn connects and leaves at once until stop is closed, at most maxCycles times.
func (p *mixPeers) churn(addr net.Addr, stop <-chan struct{}, maxCycles int) {
	for range maxCycles {
		select {
		case <-stop:
			return
		default:
		}
		conn, err := p.dialRaw(addr)
		if err != nil {
			p.fail(fmt.Errorf("churn dial: %w", err))
			return
		}
		if err := conn.Close(); err != nil {
			p.fail(err)
		}
		p.churns.Add(1)
	}
}

// garbagePeer sends bytes that are no protocol at all below TLS, or an endless line above it,
// then reads until the server ends the stream.
func (p *mixPeers) garbagePeer(addr net.Addr, seed uint64) {
	conn, err := p.dialRaw(addr)
	if err != nil {
		p.fail(fmt.Errorf("garbage dial: %w", err))
		return
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.Write(testutil.Payload(4<<10, seed)); err == nil {
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite() // the server ends its side either way; the read below tells
		}
	}
	if _, err := io.Copy(io.Discard, conn); err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		p.fail(errors.New("garbage: the server never ended the stream"))
		return
	}
	p.garbage.Add(1)
}

// resetter sends half a line and resets the connection: on TCP with SO_LINGER 0, on a unix
// socket by closing it with the server's reply unread, which makes Linux report ECONNRESET
// to the server.
func (p *mixPeers) resetter(addr net.Addr, cfg *tls.Config) {
	conn, err := p.dial(addr, cfg)
	if err != nil {
		p.fail(fmt.Errorf("resetter dial: %w", err))
		return
	}
	p.note(&p.resetRemotes, conn.LocalAddr().String())
	if err := testutil.RoundTrip(conn, []byte("hello\n")); err != nil {
		p.fail(fmt.Errorf("resetter: %w", err))
	}
	_, _ = conn.Write([]byte("hello again\nhalf a li")) // the reset is the point, not the write
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	} else {
		time.Sleep(20 * time.Millisecond) // the echo of the first line reaches us, unread
	}
	_ = raw.Close()
	p.resets.Add(1)
}

func TestHostileMixOverTCPUnixAndTLSIsContainedWhileAWellBehavedClientIsServed(t *testing.T) {
	const (
		maxFrame   = 1024
		slowloris  = 6
		garbage    = 4
		resetters  = 4
		churners   = 2
		roundTrips = 200
		// maxChurn bounds each churner's cycles: over unix sockets they come fast enough to
		// make the test about them.
		maxChurn = 2000
	)
	fixture := tlsutil.NewFixture(t)
	networks := []mixNetwork{
		{name: "tcp", addr: func(*testing.T) string { return "tcp://127.0.0.1:0" }},
		{name: "unix", addr: func(t *testing.T) string { return "unix://" + filepath.Join(t.TempDir(), "mix.sock") }},
		{name: "tls", addr: func(*testing.T) string { return "tcp://127.0.0.1:0" }, tls: true},
	}
	before := testutil.Snapshot(t)
	for _, nw := range networks {
		t.Run(nw.name, func(t *testing.T) {
			h := new(echoRecorder)
			opts := []server.Option{
				server.WithLoopNum(2),
				server.WithCodec(codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(maxFrame))),
			}
			var clientCfg *tls.Config
			if nw.tls {
				opts = append(opts, server.WithTls(fixture.ServerConfig()))
				clientCfg = fixture.ClientConfig()
			}
			srv, _ := testutil.ServeInBackground(t, h, nw.addr(t), opts...)
			peers := new(mixPeers)
			wellBehaved, err := peers.dial(srv.Addr, clientCfg)
			require.NoError(t, err)

			stop := make(chan struct{})
			var hostile, churning sync.WaitGroup
			for range slowloris {
				hostile.Go(func() { peers.slowloris(srv.Addr, clientCfg, maxFrame) })
			}
			for i := range garbage {
				hostile.Go(func() { peers.garbagePeer(srv.Addr, uint64(i)) })
			}
			for range resetters {
				hostile.Go(func() { peers.resetter(srv.Addr, clientCfg) })
			}
			hostile.Go(func() { peers.flooder(srv.Addr, clientCfg) })
			for range churners {
				churning.Go(func() { peers.churn(srv.Addr, stop, maxChurn) })
			}

			for i := range roundTrips {
				line := fmt.Appendf(nil, "request %d\n", i)
				require.NoError(t, testutil.RoundTrip(wellBehaved, line), "round trip %d", i)
			}
			hostile.Wait()
			close(stop)
			churning.Wait()
			require.NoError(t, wellBehaved.Close())

			peers.mu.Lock()
			require.Empty(t, peers.failures)
			peers.mu.Unlock()
			dials := int(peers.dials.Load())
			require.Eventually(t, func() bool { return h.Opened() == dials && len(h.Closures()) == dials },
				testutil.WaitLimit, testutil.PollEvery,
				"every connection opened and closed once: %d dialed, %d opened, %d closed", dials, h.Opened(), len(h.Closures()))
			require.Zero(t, h.RepeatedCloses())
			require.Equal(t, int64(slowloris), peers.cutLines.Load())
			require.Equal(t, int64(1), peers.heldBack.Load())
			require.Equal(t, int64(garbage), peers.garbage.Load())
			if nw.name != "unix" {
				// Unix addresses are all alike ("@"), so the per-peer checks are TCP's.
				for _, remote := range peers.slowlorisRemotes {
					closure := h.WaitClosedFrom(t, remote)
					require.ErrorIs(t, closure.Err, codec.ErrFrameTooLarge, "a slowloris line is cut at the maximum frame")
				}
				for _, remote := range peers.resetRemotes {
					closure := h.WaitClosedFrom(t, remote)
					require.ErrorIs(t, closure.Err, syscall.ECONNRESET, "a reset mid-line is reported")
				}
			}
			t.Logf("%s: %d round trips beside %d slowloris, %d garbage, %d resetting peers and a flooder, and %d connect-and-leave cycles; %d connections opened, each closed once",
				nw.name, roundTrips, slowloris, garbage, resetters, peers.churns.Load(), dials)
		})
	}
	testutil.RequireNoLeaks(t, before)
}
