package api

import (
	"net"
	"time"
)

// Server describes a running server. It is handed to EventHandler.OnInitComplete; keep it in
// your handler if you need to stop the server later.
type Server struct {
	// Multicore reports whether the server runs more than one event loop, in which case
	// callbacks for different connections run in parallel.
	Multicore bool
	// Addr is the address the server listens on, with the port the kernel chose when the
	// address asked for port 0.
	Addr net.Addr
	// NumEventLoop is the number of event loops serving connections.
	NumEventLoop int
	// ReUsePort reports whether every loop has its own SO_REUSEPORT listener.
	ReUsePort bool
	// TCPKeepAlive is the keep-alive period set on accepted TCP connections; 0 means off.
	TCPKeepAlive time.Duration
	// Close stops the server gracefully: it stops accepting, closes every connection and
	// makes Serve return. It may be called from any goroutine, more than once, and from a
	// callback.
	Close func()
	// Loops is the server's event loops, to run functions and timers on.
	Loops IEventLoopGroup
	// Stats returns a snapshot of the server's statistics, per event loop and in total. It
	// may be called from any goroutine, at any time, also after the server has stopped (the
	// figures then stay as they were).
	Stats func() ServerStats
}
