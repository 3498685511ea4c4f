package echoload

import (
	"sync"
	"testing"
	"time"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Bounds on a client that opens connection after connection; the test stops it long before.
const (
	// maxConnectionsPerClient bounds the connections one client opens.
	maxConnectionsPerClient = 100_000
	// maxAttemptsPerRequest bounds how often one request is sent again after the server
	// closed the connection without reading it.
	maxAttemptsPerRequest = 16
	// RequestsPerConnection is how many requests ConverseOnFreshConnections sends on each
	// connection.
	RequestsPerConnection = 3
)

// ConverseOnFreshConnections opens connection after connection to addr, sends
// RequestsPerConnection requests on each (waiting for every reply) and closes it, until stop
// is closed. A request that the server closed the connection on before replying is sent again
// on the next connection, up to maxAttemptsPerRequest times; then it is counted as abandoned.
func (tl *Tally) ConverseOnFreshConnections(addr string, client int, stop <-chan struct{}) {
	var seq int64
	attempts := 0
	for range maxConnectionsPerClient {
		select {
		case <-stop:
			return
		default:
		}
		conn, err := tl.Dial(addr)
		if err != nil {
			continue
		}
		for range RequestsPerConnection {
			result := tl.Exchange(conn, Request(client, seq))
			if result == ClosedBeforeReply {
				attempts++
				if attempts < maxAttemptsPerRequest {
					break // send it again on a new connection
				}
				tl.Abandoned.Add(1)
				tl.problem("client %d: request %d closed before a reply %d times", client, seq, attempts)
			}
			seq, attempts = seq+1, 0
			if result != Answered {
				break
			}
		}
		// Closing our side of a connection that has served its turn cannot fail usefully.
		_ = conn.Close()
	}
}

// ConverseUntilClosed keeps one connection to addr busy, request after request, until the
// server closes it, and reports whether the conversation ended that way. warmedUp is called
// once, after a few answers or when the conversation ends, whichever is first.
func (tl *Tally) ConverseUntilClosed(addr string, client int, warmedUp func()) bool {
	const warmUpAnswers = 10
	var once sync.Once
	defer once.Do(warmedUp)
	conn, err := tl.Dial(addr)
	if err != nil {
		return false
	}
	defer func() {
		// The server has closed it or the test has failed; either way nothing is left to say.
		_ = conn.Close()
	}()
	for seq := range int64(maxExchangesPerConnection) {
		switch tl.Exchange(conn, Request(client, seq)) {
		case Answered:
			if seq+1 == warmUpAnswers {
				once.Do(warmedUp)
			}
		case ClosedBeforeReply:
			return true
		default:
			return false
		}
	}
	tl.problem("client %d: the server never closed its connection", client)
	return false
}

// WaitAnswers waits, up to testutil.WaitLimit, until the clients have had n answers in all.
// Call it from the test's goroutine.
func (tl *Tally) WaitAnswers(t testing.TB, n int64) {
	t.Helper()
	deadline := time.Now().Add(testutil.WaitLimit)
	for tl.Answered.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d answers within %v: %v", n, testutil.WaitLimit, tl)
		}
		time.Sleep(testutil.PollEvery)
	}
}
