package echoload

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
	// RequestSize is the length of every request, "WWW:SSSSSSSSSSS\n".
	RequestSize = 16
	// maxExchangesPerConnection bounds a client that keeps one connection busy.
	maxExchangesPerConnection = 1_000_000
	// maxProblemsKept bounds the problem descriptions a tally keeps for failure messages.
	maxProblemsKept = 8
)

// Request returns the bytes of client's request number seq.
func Request(client int, seq int64) []byte {
	return fmt.Appendf(make([]byte, 0, RequestSize), "%03d:%011d\n", client, seq)
}

// Outcome is what became of one request sent.
type Outcome int

const (
	// Answered: exactly the request's bytes came back.
	Answered Outcome = iota
	// ClosedBeforeReply: the connection ended (end of file or a reset) before any byte of a
	// reply. An echo server answers every byte it reads, so it never read this request,
	// and the client may send it again elsewhere.
	ClosedBeforeReply
	// Garbled: part of a reply came back, or bytes that are not the request.
	Garbled
	// Failed: any other error, a timeout among them.
	Failed
)

// Tally counts what the echo clients of one test saw. Every request sent ends up in exactly
// one of Answered, ClosedBeforeReply, Garbled and Failed. The zero value is ready; it is safe
// from any goroutine.
type Tally struct {
	Sent, Answered, ClosedBeforeReply, Garbled, Failed atomic.Int64
	// Refused counts connects the server refused; Connections counts those it took.
	Refused, Connections atomic.Int64
	// Abandoned counts requests given up after too many closes before a reply.
	Abandoned atomic.Int64
	// BytesBack counts every byte read back, whole replies or not.
	BytesBack atomic.Int64

	mu       sync.Mutex
	problems []string
}

// problem records a garbled reply or a failure for the test's failure message.
func (tl *Tally) problem(format string, args ...any) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if len(tl.problems) < maxProblemsKept {
		tl.problems = append(tl.problems, fmt.Sprintf(format, args...))
	}
}

// String sums the tally up.
func (tl *Tally) String() string {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return fmt.Sprintf("%d connections (%d refused), %d requests sent: %d answered, %d closed before a reply (%d given up), %d garbled, %d failed; %d bytes back; first problems: %q",
		tl.Connections.Load(), tl.Refused.Load(), tl.Sent.Load(), tl.Answered.Load(), tl.ClosedBeforeReply.Load(),
		tl.Abandoned.Load(), tl.Garbled.Load(), tl.Failed.Load(), tl.BytesBack.Load(), tl.problems)
}

// Lost is how many requests got no right reply for good: garbled, failed, or given up after
// too many closes before a reply.
func (tl *Tally) Lost() int64 {
	return tl.Garbled.Load() + tl.Failed.Load() + tl.Abandoned.Load()
}

// RequireEveryRequestAccounted fails the test unless every request sent has exactly one
// outcome, so that the other counts can be trusted.
func (tl *Tally) RequireEveryRequestAccounted(t testing.TB) {
	t.Helper()
	require.Equal(t, tl.Sent.Load(),
		tl.Answered.Load()+tl.ClosedBeforeReply.Load()+tl.Garbled.Load()+tl.Failed.Load(), tl.String())
}

// Dial connects to addr over TCP with the whole conversation bounded by testutil.WaitLimit.
func (tl *Tally) Dial(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, testutil.WaitLimit)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			tl.Refused.Add(1)
		}
		tl.problem("connecting: %v", err)
		return nil, err
	}
	tl.Connections.Add(1)
	if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
		tl.problem("setting a deadline: %v", err)
		_ = conn.Close() // the deadline error is the one worth reporting
		return nil, err
	}
	return conn, nil
}

// Exchange sends req on conn, reads the reply and counts the outcome.
func (tl *Tally) Exchange(conn net.Conn, req []byte) Outcome {
	result := tl.classify(conn, req)
	switch result {
	case Answered:
		tl.Answered.Add(1)
	case ClosedBeforeReply:
		tl.ClosedBeforeReply.Add(1)
	case Garbled:
		tl.Garbled.Add(1)
	case Failed:
		tl.Failed.Add(1)
	}
	return result
}

func (tl *Tally) classify(conn net.Conn, req []byte) Outcome {
	tl.Sent.Add(1)
	if _, err := conn.Write(req); err != nil {
		if ClosedByServer(err) {
			return ClosedBeforeReply
		}
		tl.problem("sending %q: %v", req, err)
		return Failed
	}
	reply := make([]byte, len(req))
	n, err := io.ReadFull(conn, reply)
	tl.BytesBack.Add(int64(n))
	switch {
	case n == len(req) && bytes.Equal(reply, req):
		return Answered
	case n > 0:
		tl.problem("sent %q, got back %q (%v)", req, reply[:n], err)
		return Garbled
	case ClosedByServer(err):
		return ClosedBeforeReply
	default:
		tl.problem("waiting for the reply to %q: %v", req, err)
		return Failed
	}
}

// ClosedByServer reports whether err means that the peer closed or reset the connection.
func ClosedByServer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
