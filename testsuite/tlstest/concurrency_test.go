package tlstest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
	"github.com/gnetio/gnet/testsuite/internal/tlsutil"
)

func TestAThousandConcurrentTLSConnectionsEchoOnTwoLoops(t *testing.T) {
	if testing.Short() {
		t.Skip("a thousand TLS handshakes")
	}
	const (
		connections = 1000
		messages    = 3
		// dialers bounds the handshakes in flight, so that none waits in the server's
		// handshake queue long enough to meet the handshake timeout under the race detector.
		dialers = 32
	)
	fixture := tlsutil.NewFixture(t)
	h := &echoHandler{}
	addr := serve(t, h, server.WithTls(fixture.ServerConfig()), server.WithLoopNum(2))
	clientCfg := fixture.ClientConfig()
	// Plain X25519 keeps a thousand handshakes cheap; the key exchange is not under test.
	clientCfg.CurvePreferences = []tls.CurveID{tls.X25519}

	conns := make([]*tls.Conn, connections)
	dialErrs := make([]error, connections)
	next := make(chan int)
	var dialing sync.WaitGroup
	for range dialers {
		dialing.Go(func() {
			for i := range next {
				conns[i], dialErrs[i] = tryDialTLS(addr, clientCfg)
			}
		})
	}
	for i := range connections {
		next <- i
	}
	close(next)
	dialing.Wait()
	t.Cleanup(func() {
		for _, conn := range conns {
			if conn != nil {
				// The test is over; the server may have closed it already.
				_ = conn.Close()
			}
		}
	})
	require.NoError(t, errors.Join(dialErrs...), "every connection completes its handshake")

	// Every connection is open at once now; each echoes from its own goroutine.
	echoErrs := make([]error, connections)
	var echoing sync.WaitGroup
	for i, conn := range conns {
		echoing.Go(func() {
			// The dial deadline ran from the dial; the echoes get their own.
			if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
				echoErrs[i] = err
				return
			}
			for m := range messages {
				if err := testutil.RoundTrip(conn, fmt.Appendf(nil, "connection %d message %d", i, m)); err != nil {
					echoErrs[i] = fmt.Errorf("connection %d: %w", i, err)
					return
				}
			}
			echoErrs[i] = conn.Close()
		})
	}
	echoing.Wait()
	require.NoError(t, errors.Join(echoErrs...))
	closures := h.WaitClosures(t, connections)
	for _, closure := range closures {
		assert.NoError(t, closure.Err, "a connection its client closed with close_notify ends without an error")
	}
	assert.Len(t, closures, connections)
}
