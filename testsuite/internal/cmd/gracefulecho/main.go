// Command gracefulecho is the server the graceful stop and restart tests run as a child
// process: an echo server with WithGraceful(true) whose SignalClose closes each connection right
// after its next reply, and which reports its events on standard output, one per line:
//
//	serving ADDR pid PID            from OnInitComplete, once the sockets are open
//	opened REMOTE                   from OnOpened, with -report-conns only
//	signal close REMOTE             from SignalClose, with -report-conns only
//	closed with error: ERR          from OnClosed, for every connection closed with an error
//	stopped pid PID read N bytes    after Serve returned nil; N counts every byte React saw
//	serve: ERR                      after Serve failed (exit status 1)
//
// Every byte read is echoed, so the byte count lets a test prove that no request the server
// read went unanswered: the bytes its clients got back must add up to the counts of every
// process that served them.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

type handler struct {
	api.EventServer
	mu          sync.Mutex
	reportConns bool
	bytesRead   atomic.Int64
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

func (h *handler) OnOpened(c api.Conn) ([]byte, api.Action) {
	if h.reportConns {
		h.say("opened %s", c.RemoteAddr())
	}
	return nil, api.None
}

func (h *handler) SignalClose(c api.Conn) {
	if h.reportConns {
		h.say("signal close %s", c.RemoteAddr())
	}
	c.SetContext(true) // close after the next reply
}

func (h *handler) React(frame []byte, c api.Conn) api.Action {
	h.bytesRead.Add(int64(len(frame)))
	// AsyncWrite fails only on a connection already closed, whose OnClosed says why.
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
	restartTimeout := flag.Duration("restart-timeout", 10*time.Second, "how long a restart waits for the new process to serve")
	reportConns := flag.Bool("report-conns", false, "print a line for every connection opened and every SignalClose")
	flag.Parse()
	if *failStart != "" && os.Getenv(*failStart) != "" {
		fmt.Println("failing start on purpose")
		os.Exit(3)
	}
	time.Sleep(*startDelay)
	h := &handler{reportConns: *reportConns}
	err := server.Serve(h, *addr,
		server.WithGraceful(true), server.WithPidName(*pidFile), server.WithDrainTimeout(*drain),
		server.WithLoopNum(*loops), server.WithRestartTimeout(*restartTimeout))
	if err != nil {
		fmt.Println("serve:", err)
		os.Exit(1)
	}
	fmt.Printf("stopped pid %d read %d bytes\n", os.Getpid(), h.bytesRead.Load())
}
