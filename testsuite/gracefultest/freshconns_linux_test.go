//go:build linux

package gracefultest

import (
	"testing"
	"time"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Bounds on a client that opens connection after connection; the test stops it long before.
const (
	// maxConnectionsPerWorker bounds the connections one client opens.
	maxConnectionsPerWorker = 100_000
	// maxAttemptsPerRequest bounds how often one request is sent again after the server
	// closed the connection without reading it.
	maxAttemptsPerRequest = 16
)

// converseOnFreshConnections opens connection after connection to addr, sends a few requests
// on each (waiting for every reply) and closes it, until stop is closed. A request that the
// server closed the connection on before replying is sent again on the next connection.
func (tl *tally) converseOnFreshConnections(addr string, worker int, stop <-chan struct{}) {
	const requestsPerConnection = 3
	var seq int64
	attempts := 0
	for range maxConnectionsPerWorker {
		select {
		case <-stop:
			return
		default:
		}
		conn, err := tl.dial(addr)
		if err != nil {
			continue
		}
		for range requestsPerConnection {
			result := tl.exchange(conn, request(worker, seq))
			if result == closedBeforeReply {
				attempts++
				if attempts < maxAttemptsPerRequest {
					break // send it again on a new connection
				}
				tl.abandoned.Add(1)
				tl.problem("worker %d: request %d closed before a reply %d times", worker, seq, attempts)
			}
			seq, attempts = seq+1, 0
			if result != answered {
				break
			}
		}
		// Closing our side of a connection that has served its turn cannot fail usefully.
		_ = conn.Close()
	}
}

// waitForAnswers waits, up to testutil.WaitLimit, until the clients have had n answers.
func waitForAnswers(t *testing.T, tl *tally, n int64) {
	t.Helper()
	deadline := time.Now().Add(testutil.WaitLimit)
	for tl.answered.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d answers within %v: %v", n, testutil.WaitLimit, tl)
		}
		time.Sleep(testutil.PollEvery)
	}
}
