package main

import (
	"os"
	"os/signal"
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
