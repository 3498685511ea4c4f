// Command gracefulecho is the server the graceful stop and restart tests run as a child
// process: an echo server with WithGraceful(true) whose SignalClose closes each connection right
// after its next reply, and which reports its events on standard output, one per line.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

type handler struct {
	api.EventServer
	mu sync.Mutex
}

// say prints one event line; lines from different loops must not interleave.
func (h *handler) say(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Printf(format+"\n", args...)
}

func (h *handler) OnInitComplete(srv api.Server) api.Action {
	h.say("serving %s pid %d", srv.Addr, os.Getpid())
	return api.None
}

func (h *handler) SignalClose(c api.Conn) {
	c.SetContext(true) // close after the next reply
}

func (h *handler) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame)
	if closing, _ := c.Context().(bool); closing {
		return api.Close
	}
	return api.None
}

func (h *handler) OnClosed(c api.Conn, err error) api.Action {
	if err != nil {
		h.say("closed with error: %v", err)
	}
	return api.None
}

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:0", "address to serve")
	pidFile := flag.String("pidfile", "", "pid file")
	drain := flag.Duration("drain", 5*time.Second, "drain deadline")
	loops := flag.Int("loops", 2, "event loops")
	startDelay := flag.Duration("start-delay", 0, "wait this long before serving (a slow start)")
	failStart := flag.String("fail-start-if-env", "", "exit with status 3 before serving when this environment variable is set")
	flag.Parse()
	if *failStart != "" && os.Getenv(*failStart) != "" {
		fmt.Println("failing start on purpose")
		os.Exit(3)
	}
	time.Sleep(*startDelay)
	err := server.Serve(&handler{}, *addr,
		server.WithGraceful(true), server.WithPidName(*pidFile), server.WithDrainTimeout(*drain),
		server.WithLoopNum(*loops), server.WithRestartTimeout(10*time.Second))
	if err != nil {
		fmt.Println("serve:", err)
		os.Exit(1)
	}
	fmt.Printf("stopped pid %d\n", os.Getpid())
}
