package testutil

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// leakSettle bounds how long RequireNoLeaks waits for goroutines and descriptors that are on
// their way out (a goroutine between closing a channel and returning, say) to be gone.
const leakSettle = 2 * time.Second

// Resources is what a process holds that a stopped server must give back.
type Resources struct {
	Goroutines int
	FDs        int
}

// Snapshot counts the goroutines and open file descriptors now. It first makes the runtime
// open its own network poller, and start the goroutine that delivers signals to os/signal,
// both of which it keeps for the life of the process, so that a test that is the first to
// touch the network or to handle a signal (a graceful server does) does not count them as
// leaked. Take it on the test's goroutine, with no other test running in parallel.
func Snapshot(t testing.TB) Resources {
	t.Helper()
	warmUpRuntimePoller(t)
	warmUpSignalDelivery()
	fds, err := countFDs()
	if err != nil {
		t.Fatalf("counting file descriptors: %v", err)
	}
	return Resources{Goroutines: runtime.NumGoroutine(), FDs: fds}
}

// warmUpSignalDelivery makes os/signal start its delivery goroutine, which it does on the
// first Notify and never stops. SIGWINCH is ignored by default, so asking for it briefly
// changes nothing else.
func warmUpSignalDelivery() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGWINCH)
	signal.Stop(c)
}

func warmUpRuntimePoller(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("warming up the runtime's poller: %v", err)
	}
	if err := ln.Close(); err != nil {
		t.Fatalf("warming up the runtime's poller: %v", err)
	}
}

// RequireNoLeaks fails the test unless, within a short bounded settle period, the process is
// back to at most the goroutines and descriptors of before. On failure it prints every
// goroutine's stack and every open descriptor. Call it from the test's goroutine once every
// server and client of the measured part has been closed.
func RequireNoLeaks(t testing.TB, before Resources) {
	t.Helper()
	deadline := time.Now().Add(leakSettle)
	var now Resources
	for {
		fds, err := countFDs()
		if err != nil {
			t.Fatalf("counting file descriptors: %v", err)
		}
		now = Resources{Goroutines: runtime.NumGoroutine(), FDs: fds}
		if now.Goroutines <= before.Goroutines && now.FDs <= before.FDs {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stacks := make([]byte, 1<<20)
	stacks = stacks[:runtime.Stack(stacks, true)]
	t.Fatalf("leaked: %d goroutines and %d descriptors before, %d and %d after stopping\nopen descriptors:\n%s\ngoroutines:\n%s",
		before.Goroutines, before.FDs, now.Goroutines, now.FDs, describeFDs(), stacks)
}

// fdDir is where the process's open descriptors are listed: /proc on Linux, /dev/fd on the
// systems without it.
func fdDir() string {
	if _, err := os.Stat("/proc/self/fd"); err == nil {
		return "/proc/self/fd"
	}
	return "/dev/fd"
}

// countFDs counts open descriptors. Reading the directory opens one more, the same in every
// count, so comparisons are unaffected.
func countFDs() (int, error) {
	entries, err := os.ReadDir(fdDir())
	if err != nil {
		return 0, err
	}
	return len(entries), nil
}

func describeFDs() string {
	dir := fdDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, e := range entries {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil {
			target = err.Error()
		}
		fmt.Fprintf(&b, "  %s -> %s\n", e.Name(), target)
	}
	return b.String()
}
