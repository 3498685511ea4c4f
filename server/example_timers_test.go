package server_test

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// readTimeout answers each request and expects the next within a deadline: a timer on the
// connection's own loop closes the connection unless a request re-arms it first. The timer's
// function runs on that loop, so it may touch the connection without locks.
type readTimeout struct {
	api.EventServer
	started chan api.Server
	timeout time.Duration
}

func (h *readTimeout) OnInitComplete(srv api.Server) api.Action { h.started <- srv; return api.None }

func (h *readTimeout) OnOpened(c api.Conn) ([]byte, api.Action) {
	h.arm(c)
	return nil, api.None
}

func (h *readTimeout) React(frame []byte, c api.Conn) api.Action {
	if task, ok := c.Context().(api.ScheduledTask); ok {
		task.Cancel()
	}
	_ = c.AsyncWrite(frame) // fails only once the connection is closed
	h.arm(c)
	return api.None
}

// arm schedules the close of c on its loop, and keeps the handle to cancel it.
func (h *readTimeout) arm(c api.Conn) {
	task, err := c.(api.EventLoopConn).EventLoop().Schedule(h.timeout, func() {
		_ = c.AsyncWrite([]byte("timeout\n"))
		_ = c.Close()
	})
	if err == nil {
		c.SetContext(task)
	}
}

// A per-connection read timeout: a client that sends nothing for 100 ms is told and closed.
func Example_readTimeout() {
	h := &readTimeout{started: make(chan api.Server, 1), timeout: 100 * time.Millisecond}
	srv := serve(h, h.started, server.WithLoopNum(1))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr.String())
	if err != nil {
		log.Print(err)
		return
	}
	defer func() { _ = conn.Close() }() // the server closes it first
	lines := bufio.NewReader(conn)
	_, _ = conn.Write([]byte("ping\n"))
	reply, _ := lines.ReadString('\n')
	fmt.Print(reply)
	// Now silent: the timer fires.
	reply, _ = lines.ReadString('\n')
	fmt.Print(reply)
	// Output:
	// ping
	// timeout
}

// ticker broadcasts a tick to every connection of the server once per period, from a
// repeating timer on each loop that writes to that loop's connections.
type ticker struct {
	api.EventServer
	started chan api.Server
	opened  chan struct{}

	mu    sync.Mutex
	conns map[int][]api.Conn // by loop index, each list touched by its loop only but kept here
}

func (h *ticker) OnInitComplete(srv api.Server) api.Action {
	for i := range srv.Loops.Len() {
		loop := srv.Loops.Loop(i)
		ticks := 0
		_, _ = loop.ScheduleAtFixedRate(20*time.Millisecond, 20*time.Millisecond, func() {
			ticks++
			h.mu.Lock()
			conns := h.conns[loop.Index()]
			h.mu.Unlock()
			for _, c := range conns {
				_ = c.AsyncWrite(fmt.Appendf(nil, "tick %d\n", ticks))
			}
		})
	}
	h.started <- srv
	return api.None
}

func (h *ticker) OnOpened(c api.Conn) ([]byte, api.Action) {
	loop := c.(api.EventLoopConn).EventLoop().Index()
	h.mu.Lock()
	h.conns[loop] = append(h.conns[loop], c)
	h.mu.Unlock()
	h.opened <- struct{}{}
	return nil, api.None
}

// A periodic broadcast: each loop runs a repeating timer that writes to its connections.
func Example_periodicBroadcast() {
	h := &ticker{started: make(chan api.Server, 1), opened: make(chan struct{}, 1), conns: make(map[int][]api.Conn)}
	srv := serve(h, h.started, server.WithLoopNum(2))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr.String())
	if err != nil {
		log.Print(err)
		return
	}
	defer func() { _ = conn.Close() }() // the example is done with it either way
	<-h.opened
	lines := bufio.NewReader(conn)
	first, _ := lines.ReadString('\n')
	second, _ := lines.ReadString('\n')
	var a, b int
	_, _ = fmt.Sscanf(first, "tick %d", &a)
	_, _ = fmt.Sscanf(second, "tick %d", &b)
	fmt.Println("ticks one period apart:", b == a+1)
	// Output: ticks one period apart: true
}
