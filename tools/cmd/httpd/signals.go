package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/gnetio/gnet/api"
)

// closeOnSignal stops the server at the first SIGINT or SIGTERM, so that Serve returns and
// main can finish the CPU profile. A second signal has its default effect again.
func closeOnSignal(running <-chan api.Server) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	signal.Stop(signals)
	srv := <-running
	srv.Close()
}
