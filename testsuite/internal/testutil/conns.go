package testutil

import (
	"testing"
	"time"

	"github.com/gnetio/gnet/api"
)

// Conns hands the connections a handler's callbacks see over to the test, in the order they
// came, for tests that act on the server's side of a connection from outside its loop. Create
// one with NewConns.
type Conns struct {
	ch chan api.Conn
}

// NewConns returns a Conns that holds up to capacity connections the test has not taken yet.
func NewConns(capacity int) *Conns { return &Conns{ch: make(chan api.Conn, capacity)} }

// Put hands c over. Call it from a callback; it blocks while capacity connections wait
// untaken, so size the Conns for the connections a test opens.
func (q *Conns) Put(c api.Conn) { q.ch <- c }

// Next returns the next connection handed over, failing the test if none comes within
// WaitLimit. Call it from the test's goroutine.
func (q *Conns) Next(t testing.TB) api.Conn {
	t.Helper()
	select {
	case c := <-q.ch:
		return c
	case <-time.After(WaitLimit):
		t.Fatal("no connection was handed over")
		return nil
	}
}
