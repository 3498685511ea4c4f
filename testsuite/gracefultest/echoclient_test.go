package gracefultest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// Bounds on the clients' loops; the servers under test end them long before.
const (
	// requestSize is the length of every request, "WWW:SSSSSSSSSSS\n": a worker and a
	// sequence number, so that a reply meant for another request or another client shows.
	requestSize = 16
	// maxExchangesPerConnection bounds a client that keeps one connection busy.
	maxExchangesPerConnection = 1_000_000
	// maxProblemsKept bounds the problem descriptions a tally keeps for failure messages.
	maxProblemsKept = 8
)

// request returns the bytes of worker's request number seq.
func request(worker int, seq int64) []byte {
	return fmt.Appendf(make([]byte, 0, requestSize), "%03d:%011d\n", worker, seq)
}

// outcome is what became of one request sent.
type outcome int

const (
	// answered: exactly the request's bytes came back.
	answered outcome = iota
	// closedBeforeReply: the connection ended (end of file or a reset) before any byte of a
	// reply. The echo server answers every byte it reads, so it never read this request,
	// and the client may send it again elsewhere.
	closedBeforeReply
	// garbled: part of a reply came back, or bytes that are not the request.
	garbled
	// failedOtherwise: any other error, a timeout among them.
	failedOtherwise
)

// tally counts what the echo clients of one test saw. Every request sent ends up in exactly
// one of answered, closedBeforeReply, garbled and failed. Safe from any goroutine.
type tally struct {
	sent, answered, closedBeforeReply, garbled, failed atomic.Int64
	// refused counts connects the server refused; connections counts those it took.
	refused, connections atomic.Int64
	// abandoned counts requests given up after too many closes before a reply.
	abandoned atomic.Int64
	// bytesBack counts every byte read back, whole replies or not.
	bytesBack atomic.Int64

	mu       sync.Mutex
	problems []string
}

// problem records a garbled reply or a failure for the test's failure message.
func (tl *tally) problem(format string, args ...any) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if len(tl.problems) < maxProblemsKept {
		tl.problems = append(tl.problems, fmt.Sprintf(format, args...))
	}
}

// String sums the tally up.
func (tl *tally) String() string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return fmt.Sprintf("%d connections (%d refused), %d requests sent: %d answered, %d closed before a reply (%d given up), %d garbled, %d failed; %d bytes back; first problems: %q",
		tl.connections.Load(), tl.refused.Load(), tl.sent.Load(), tl.answered.Load(), tl.closedBeforeReply.Load(),
		tl.abandoned.Load(), tl.garbled.Load(), tl.failed.Load(), tl.bytesBack.Load(), tl.problems)
}

// requireEveryRequestAccounted fails the test unless every request sent has exactly one
// outcome, so that the other counts can be trusted.
func (tl *tally) requireEveryRequestAccounted(t *testing.T) {
	t.Helper()
	require.Equal(t, tl.sent.Load(),
		tl.answered.Load()+tl.closedBeforeReply.Load()+tl.garbled.Load()+tl.failed.Load(), tl.String())
}

// dial connects to addr with the whole conversation bounded by testutil.WaitLimit.
func (tl *tally) dial(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, testutil.WaitLimit)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			tl.refused.Add(1)
		}
		tl.problem("connecting: %v", err)
		return nil, err
	}
	tl.connections.Add(1)
	if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
		tl.problem("setting a deadline: %v", err)
		_ = conn.Close() // the deadline error is the one worth reporting
		return nil, err
	}
	return conn, nil
}

// exchange sends req on conn, reads the reply and counts the outcome.
func (tl *tally) exchange(conn net.Conn, req []byte) outcome {
	result := tl.classify(conn, req)
	switch result {
	case answered:
		tl.answered.Add(1)
	case closedBeforeReply:
		tl.closedBeforeReply.Add(1)
	case garbled:
		tl.garbled.Add(1)
	case failedOtherwise:
		tl.failed.Add(1)
	}
	return result
}

func (tl *tally) classify(conn net.Conn, req []byte) outcome {
	tl.sent.Add(1)
	if _, err := conn.Write(req); err != nil {
		if closedByServer(err) {
			return closedBeforeReply
		}
		tl.problem("sending %q: %v", req, err)
		return failedOtherwise
	}
	reply := make([]byte, len(req))
	n, err := io.ReadFull(conn, reply)
	tl.bytesBack.Add(int64(n))
	switch {
	case n == len(req) && bytes.Equal(reply, req):
		return answered
	case n > 0:
		tl.problem("sent %q, got back %q (%v)", req, reply[:n], err)
		return garbled
	case closedByServer(err):
		return closedBeforeReply
	default:
		tl.problem("waiting for the reply to %q: %v", req, err)
		return failedOtherwise
	}
}

// closedByServer reports whether err means that the peer closed or reset the connection.
func closedByServer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// converseUntilClosed keeps one connection to addr busy, request after request, until the
// server closes it, and reports whether the conversation ended that way. warmedUp is called
// once, after a few answers or when the conversation ends, whichever is first.
func (tl *tally) converseUntilClosed(addr string, worker int, warmedUp func()) bool {
	const warmUpAnswers = 10
	var once sync.Once
	defer once.Do(warmedUp)
	conn, err := tl.dial(addr)
	if err != nil {
		return false
	}
	defer func() {
		// The server has closed it or the test has failed; either way nothing is left to say.
		_ = conn.Close()
	}()
	for seq := range int64(maxExchangesPerConnection) {
		switch tl.exchange(conn, request(worker, seq)) {
		case answered:
			if seq+1 == warmUpAnswers {
				once.Do(warmedUp)
			}
		case closedBeforeReply:
			return true
		default:
			return false
		}
	}
	tl.problem("worker %d: the server never closed its connection", worker)
	return false
}

// requireEchoes fails the test unless n requests on a new connection to addr all come back
// intact.
func requireEchoes(t *testing.T, addr string, n int) {
	t.Helper()
	var tl tally
	conn, err := tl.dial(addr)
	require.NoError(t, err)
	defer func() {
		// Only the replies matter; the connection has served its purpose.
		_ = conn.Close()
	}()
	for seq := range int64(n) {
		require.Equal(t, answered, tl.exchange(conn, request(0, seq)), tl.String())
	}
}
