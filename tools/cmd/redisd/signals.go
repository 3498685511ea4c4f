package main

import (
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// closeOnSignal stops the server gracefully on SIGINT or SIGTERM, so that Serve returns and
// the CPU profile is written. The returned function stops listening for the signals.
func closeOnSignal(handler *redisServer) (stop func()) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-signals:
			handler.close()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(signals)
		close(done)
	}
}

// startCPUProfile starts profiling into path, or does nothing for an empty path. The
// returned function stops the profile and closes the file.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close() // the profile never started; the file holds nothing worth keeping
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
