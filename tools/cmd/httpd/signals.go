package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
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

// startCPUProfile starts recording a CPU profile into path, unless path is empty, and returns
// the function that stops it and writes the file.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close() // the profile failed to start; the file is empty and unused
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
