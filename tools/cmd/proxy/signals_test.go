package main

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

func TestStopOnSignalClosesTheServerAtSIGTERM(t *testing.T) {
	backend, _ := echoBackend(t)
	cfg := config{loops: 1, backends: []string{backend}, healthInterval: time.Second, dialTimeout: time.Second}
	p := newProxy(cfg, nil)
	p.quiet = true
	running := make(chan api.Server, 1)
	p.onInit = func(srv api.Server) { running <- srv }
	release := stopOnSignal(running)
	defer release()
	served := make(chan error, 1)
	go func() { served <- server.Serve(p, "tcp://127.0.0.1:0", serveOptions(cfg)...) }()

	// The signal may come before the server serves: it is closed as soon as it does.
	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	select {
	case err := <-served:
		if err != nil && !errors.Is(err, server.ErrServerShutdown) {
			require.NoError(t, err)
		}
	case <-time.After(ioDeadline):
		t.Fatal("Serve did not return after SIGTERM")
	}
}
