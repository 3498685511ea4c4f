//go:build linux

package gracefultest

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/echoload"
)

func TestRestartUnderLoadRefusesNoConnectionAndLosesNoRequest(t *testing.T) {
	const (
		workers = 50
		// answersBeforeRestart makes sure the load is in full swing when the signal comes.
		answersBeforeRestart = 500
		// loadAfterRestart is how long the load goes on once the new process serves, so
		// that the old one drains under load and the new one carries it alone for a while.
		loadAfterRestart = time.Second
	)
	becomeSubreaper(t)
	pidFile := filepath.Join(t.TempDir(), "gracefulecho.pid")
	old := startEcho(t, "-pidfile", pidFile)
	addr := old.waitServing(t, old.pid())

	var tl echoload.Tally
	stop := make(chan struct{})
	var load sync.WaitGroup
	for worker := range workers {
		load.Add(1)
		go func() {
			defer load.Done()
			tl.ConverseOnFreshConnections(addr, worker, stop)
		}()
	}
	stopLoad := sync.OnceFunc(func() {
		close(stop)
		load.Wait() // bounded: every conversation has a deadline
	})
	defer stopLoad()
	tl.WaitAnswers(t, answersBeforeRestart)

	old.signal(t, syscall.SIGUSR2)
	next := old.waitSuccessor(t)
	require.Equal(t, 0, old.waitExit(t), "exit status of the old process")
	oldRead := old.waitStopped(t, old.pid())
	time.Sleep(loadAfterRestart)
	stopLoad()
	requirePidFile(t, pidFile, next.pid)

	next.signal(t, syscall.SIGTERM)
	nextRead := old.waitStopped(t, next.pid)
	require.Equal(t, 0, next.waitExit(t), "exit status of the new process")
	require.NoFileExists(t, pidFile, "the new process removes the pid file on its way out")

	t.Logf("restart under load: %v; the old process read %d bytes, the new one %d", &tl, oldRead, nextRead)
	old.requireNoConnectionErrors(t) // the new process prints to the same transcript
	tl.RequireEveryRequestAccounted(t)
	require.Zero(t, tl.Refused.Load(), "refused connections; %v", &tl)
	require.Zero(t, tl.Lost(), "garbled, failed or abandoned requests; %v", &tl)
	require.Positive(t, oldRead, "bytes the old process read")
	require.Positive(t, nextRead, "bytes the new process read")
	require.Equal(t, oldRead+nextRead, tl.BytesBack.Load(), "every byte either process read came back; %v", &tl)
}

func TestRestartedServerRestartsAgain(t *testing.T) {
	becomeSubreaper(t)
	pidFile := filepath.Join(t.TempDir(), "gracefulecho.pid")
	first := startEcho(t, "-pidfile", pidFile)
	addr := first.waitServing(t, first.pid())
	requireEchoes(t, addr, 3)

	first.signal(t, syscall.SIGUSR2)
	second := first.waitSuccessor(t)
	require.Equal(t, 0, first.waitExit(t), "exit status of the first process")
	requirePidFile(t, pidFile, second.pid)
	requireEchoes(t, addr, 3)
	second.signal(t, syscall.SIGUSR2)
	third := second.waitSuccessor(t)
	require.Equal(t, 0, second.waitExit(t), "exit status of the second process")
	requirePidFile(t, pidFile, third.pid)
	requireEchoes(t, addr, 3)

	third.signal(t, syscall.SIGTERM)
	require.Equal(t, 0, third.waitExit(t), "exit status of the third process")
	for _, pid := range []int{first.pid(), second.pid, third.pid} {
		first.waitStopped(t, pid)
	}
	first.requireNoConnectionErrors(t)
	require.NoFileExists(t, pidFile)
}

func TestFailedRestartKeepsTheOldProcessServing(t *testing.T) {
	tests := []struct {
		name string
		// script replaces the executable before the restart; echo is the quoted path of the
		// real gracefulecho.
		script func(echo string) string
		args   []string
		// wantReason is in the reason the engine logs for giving the restart up.
		wantReason string
	}{
		{
			name: "new process exits before serving",
			script: func(echo string) string {
				return "#!/bin/sh\nGRACEFULTEST_FAIL=1 exec " + echo + " -fail-start-if-env GRACEFULTEST_FAIL \"$@\"\n"
			},
			wantReason: "exited or closed its readiness pipe before serving",
		},
		{
			name:       "new process never reports serving",
			script:     func(string) string { return "#!/bin/sh\nexec sleep 30\n" },
			args:       []string{"-restart-timeout", "300ms"},
			wantReason: "did not report serving within 300ms",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			exe := filepath.Join(dir, "gracefulecho")
			pidFile := filepath.Join(dir, "gracefulecho.pid")
			copyExecutable(t, echoBinary, exe)
			srv := start(t, exec.Command(exe, append([]string{"-pidfile", pidFile}, tc.args...)...))
			addr := srv.waitServing(t, srv.pid())
			requireEchoes(t, addr, 3)
			// The restart execs os.Executable(), which Linux resolves through
			// /proc/self/exe to the path the old process ran from, now naming the script.
			replaceExecutable(t, exe, tc.script(shellQuote(echoBinary)))

			srv.signal(t, syscall.SIGUSR2)

			reason := srv.stderr.waitFor(t, restartFailedLine, nil)[1]
			require.Contains(t, reason, tc.wantReason)
			requireEchoes(t, addr, 3)
			require.Equal(t, 1, srv.stdout.count("serving "), "servers that reported serving")
			requirePidFile(t, pidFile, srv.pid())
			srv.signal(t, syscall.SIGTERM)
			require.Equal(t, 0, srv.waitExit(t), "exit status")
			srv.waitStopped(t, srv.pid())
			srv.requireNoConnectionErrors(t)
			require.NoFileExists(t, pidFile)
		})
	}
}

// restartFailedLine matches the engine's log of a restart given up, with its reason.
var restartFailedLine = regexp.MustCompile(`restart failed, still serving: ([^"]*)`)
