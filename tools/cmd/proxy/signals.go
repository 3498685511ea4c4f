package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/gnetio/gnet/api"
)

// stopOnSignal closes the server that running delivers at the first SIGINT or SIGTERM, so
// that Serve returns and main can stop the health checks and finish the CPU profile. After
// that signal the handler is removed, and a second one ends the process the default way. The
// returned release stops listening; call it once Serve has returned.
func stopOnSignal(running <-chan api.Server) (release func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-signals:
		case <-done:
			return
		}
		signal.Stop(signals)
		// A signal that comes before the server serves stops it as soon as it does.
		select {
		case srv := <-running:
			srv.Close()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}
