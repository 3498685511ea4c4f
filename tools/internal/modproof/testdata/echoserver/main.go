// A program that serves echo on a loopback port, talks to itself over TCP and exits 0 when
// the reply is what it sent.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

type echo struct {
	api.EventServer
	ready chan api.Server
}

func (e *echo) OnInitComplete(srv api.Server) api.Action {
	e.ready <- srv
	return api.None
}

func (e *echo) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame) // fails only once the connection is closed, and then the check below fails
	return api.None
}

func main() {
	h := &echo{ready: make(chan api.Server, 1)}
	served := make(chan error, 1)
	go func() { served <- server.Serve(h, "tcp://127.0.0.1:0") }()
	var srv api.Server
	select {
	case srv = <-h.ready:
	case err := <-served:
		fail("Serve returned before serving: %v", err)
	case <-time.After(time.Minute):
		fail("the server was not serving after a minute")
	}

	conn, err := net.DialTimeout("tcp", srv.Addr.String(), 10*time.Second)
	if err != nil {
		fail("dial: %v", err)
	}
	if err := conn.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		fail("set deadline: %v", err)
	}
	msg := []byte("hello from outside the workspace")
	if _, err := conn.Write(msg); err != nil {
		fail("write: %v", err)
	}
	reply := make([]byte, len(msg))
	if _, err := io.ReadFull(conn, reply); err != nil {
		fail("read: %v", err)
	}
	if !bytes.Equal(reply, msg) {
		fail("echo: sent %q, got %q", msg, reply)
	}
	_ = conn.Close() // the exchange is over; Close below stops the server either way

	srv.Close()
	select {
	case err := <-served:
		if err != nil {
			fail("Serve: %v", err)
		}
	case <-time.After(time.Minute):
		fail("Serve did not return a minute after Close")
	}
	fmt.Printf("echoed %d bytes over %s\n", len(msg), srv.Addr)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
