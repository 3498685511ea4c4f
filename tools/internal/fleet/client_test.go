package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Bounds on the clients; the test stops them long before.
const (
	// requestLength is the length of every request, "WWW:SSSSSSSSSSS\n": a client and a
	// sequence number, so that a reply meant for another request or client shows.
	requestLength = 16
	// maxConnectionsPerClient bounds the connections one client opens.
	maxConnectionsPerClient = 100_000
	// maxSendsPerRequest bounds how often a request is sent again after its connection closed
	// before the server read it.
	maxSendsPerRequest = 16
	// maxProblemsKept bounds the problems a tally describes in failure messages.
	maxProblemsKept = 8
)

// request is client's request number seq.
func request(client int, seq int64) []byte {
	return fmt.Appendf(make([]byte, 0, requestLength), "%03d:%011d\n", client, seq)
}

// outcome is what became of one request sent.
type outcome int

const (
	// answered: exactly the request came back.
	answered outcome = iota
	// closedUnread: the connection ended (end of file or a reset) before a byte of the reply:
	// the server never read the request, which may be sent again on another connection.
	closedUnread
	// garbled: part of a reply, or bytes that are not the request.
	garbled
	// failed: any other error, a timeout among them.
	failed
	outcomes
)

var outcomeNames = [outcomes]string{"answered", "closed unread", "garbled", "failed"}

// tally counts what the clients of one phase saw. Safe from any goroutine.
type tally struct {
	// requests counts the requests sent by outcome.
	requests [outcomes]atomic.Int64
	// connections counts the connections made, refused those refused, and abandoned the
	// requests given up after maxSendsPerRequest sends.
	connections, refused, abandoned atomic.Int64

	mu       sync.Mutex
	problems []string
}

func (tl *tally) count(o outcome) int64 { return tl.requests[o].Load() }

// problem keeps a description of something that went wrong, for the failure message.
func (tl *tally) problem(format string, args ...any) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if len(tl.problems) < maxProblemsKept {
		tl.problems = append(tl.problems, fmt.Sprintf(format, args...))
	}
}

func (tl *tally) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d connections (%d refused), requests:", tl.connections.Load(), tl.refused.Load())
	for o := range outcomes {
		fmt.Fprintf(&b, " %s %d,", outcomeNames[o], tl.count(o))
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	fmt.Fprintf(&b, " given up %d; first problems: %q", tl.abandoned.Load(), tl.problems)
	return b.String()
}

// lost is how many requests got no correct reply: garbled, failed or given up.
func (tl *tally) lost() int64 {
	return tl.count(garbled) + tl.count(failed) + tl.abandoned.Load()
}

// dial connects to addr with the whole conversation bounded by waitLimit.
func (tl *tally) dial(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			tl.refused.Add(1)
		}
		tl.problem("connecting: %v", err)
		return nil, err
	}
	tl.connections.Add(1)
	if err := conn.SetDeadline(time.Now().Add(waitLimit)); err != nil {
		_ = conn.Close() // the deadline's error is the one to report
		tl.problem("setting a deadline: %v", err)
		return nil, err
	}
	return conn, nil
}

// exchange sends req on conn, reads the reply and counts the outcome.
func (tl *tally) exchange(conn net.Conn, req []byte) outcome {
	o := tl.judge(conn, req)
	tl.requests[o].Add(1)
	return o
}

func (tl *tally) judge(conn net.Conn, req []byte) outcome {
	if _, err := conn.Write(req); err != nil {
		if closedByPeer(err) {
			return closedUnread
		}
		tl.problem("sending %q: %v", req, err)
		return failed
	}
	reply := make([]byte, len(req))
	n, err := io.ReadFull(conn, reply)
	switch {
	case n == len(req) && bytes.Equal(reply, req):
		return answered
	case n > 0:
		tl.problem("sent %q, got back %q (%v)", req, reply[:n], err)
		return garbled
	case closedByPeer(err):
		return closedUnread
	}
	tl.problem("waiting for the reply to %q: %v", req, err)
	return failed
}

// closedByPeer reports whether err means the peer closed or reset the connection.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// converse opens connection after connection to addr and sends perConnection requests on
// each, one at a time, until stop is closed. A request whose connection closed before the
// server read it is sent again on the next connection, up to maxSendsPerRequest times.
func (tl *tally) converse(addr string, client, perConnection int, stop <-chan struct{}) {
	var seq int64
	sends := 0
	for range maxConnectionsPerClient {
		select {
		case <-stop:
			return
		default:
		}
		conn, err := tl.dial(addr)
		if err != nil {
			continue
		}
		for range perConnection {
			o := tl.exchange(conn, request(client, seq))
			sends++
			if o == closedUnread && sends < maxSendsPerRequest {
				break // the same request again, on a new connection
			}
			if o == closedUnread {
				tl.abandoned.Add(1)
				tl.problem("client %d: request %d closed unread %d times", client, seq, sends)
			}
			seq, sends = seq+1, 0
			if o != answered {
				break
			}
		}
		// The connection has served its turn; closing it cannot fail usefully.
		_ = conn.Close()
	}
}
