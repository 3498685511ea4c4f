package gracefultest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
)

func TestSecondServerWithTheSamePidFileFailsWithErrPidFileInUse(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "gracefulecho.pid")
	first := startEcho(t, "-pidfile", pidFile)
	addr := first.waitServing(t, first.pid())

	second := startEcho(t, "-pidfile", pidFile) // on a port of its own: both ask for port 0

	require.Equal(t, 1, second.waitExit(t), "exit status of the second server")
	require.Contains(t, second.stdout.waitFor(t, serveFailed, nil)[1], server.ErrPidFileInUse.Error())
	require.Zero(t, second.stdout.count("serving "), "the second server must not serve")
	requirePidFile(t, pidFile, first.pid())
	requireEchoes(t, addr, 3)
	first.signal(t, syscall.SIGTERM)
	require.Equal(t, 0, first.waitExit(t), "exit status of the first server")
	first.waitStopped(t, first.pid())
	require.NoFileExists(t, pidFile)
}

func TestPidFileNotNamingALiveProcessIsReplaced(t *testing.T) {
	tests := []struct {
		name    string
		content func(t *testing.T) string
	}{
		{name: "names a process that has exited", content: func(t *testing.T) string { return strconv.Itoa(exitedPid(t)) + "\n" }},
		{name: "holds no number", content: func(*testing.T) string { return "not a pid\n" }},
		{name: "is empty", content: func(*testing.T) string { return "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "gracefulecho.pid")
			require.NoError(t, os.WriteFile(pidFile, []byte(tc.content(t)), 0o644))

			srv := startEcho(t, "-pidfile", pidFile)

			srv.waitServing(t, srv.pid())
			requirePidFile(t, pidFile, srv.pid())
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Len(t, entries, 1, "the pid file is written through a temporary file renamed over it, which must not be left behind")
			srv.signal(t, syscall.SIGTERM)
			require.Equal(t, 0, srv.waitExit(t), "exit status")
			srv.waitStopped(t, srv.pid())
			require.NoFileExists(t, pidFile)
		})
	}
}

// exitedPid returns the pid of a process that has run and exited.
func exitedPid(t *testing.T) int {
	t.Helper()
	cmd := echoCommand("-fail-start-if-env", "GRACEFULTEST_FAIL")
	cmd.Env = withQuickRaceExit(append(os.Environ(), "GRACEFULTEST_FAIL=1"))
	require.NoError(t, cmd.Start())
	err := cmd.Wait()
	require.Equal(t, 3, cmd.ProcessState.ExitCode(), "gracefulecho failing on purpose: %v", err)
	return cmd.Process.Pid
}

// requirePidFile fails the test unless the pid file at path names pid.
func requirePidFile(t *testing.T, path string, pid int) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, strconv.Itoa(pid), strings.TrimSpace(string(data)), "pid in %s", path)
}
