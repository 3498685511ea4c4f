package gracefultest

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// The event lines gracefulecho prints (see its package comment).
var (
	servingLine = regexp.MustCompile(`^serving (\S+) pid (\d+)$`)
	stoppedLine = regexp.MustCompile(`^stopped pid (\d+) read (\d+) bytes$`)
	serveFailed = regexp.MustCompile(`^serve: (.*)$`)
)

// child is a process the test started, gracefulecho or a shell that execs it, with everything
// it and its successors print kept in transcripts. Use it from the test's goroutine.
type child struct {
	cmd    *exec.Cmd
	stdout *transcript
	stderr *transcript
	// exited is closed once the process has exited and cmd.ProcessState is set.
	exited chan struct{}
}

// echoCommand returns a command that runs gracefulecho with args.
func echoCommand(args ...string) *exec.Cmd { return exec.Command(echoBinary, args...) }

// start starts cmd with its standard output and error going to transcripts. When the test
// ends the process is killed if it is still running, and on failure both transcripts are
// logged.
func start(t *testing.T, cmd *exec.Cmd) *child {
	t.Helper()
	outR, outW, err := os.Pipe()
	require.NoError(t, err)
	errR, errW, err := os.Pipe()
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.Env = withQuickRaceExit(cmd.Environ())
	startErr := cmd.Start()
	// Our copies of the writing sides must go, so that a transcript ends when the last
	// process writing to it exits; closing a pipe end we just made cannot fail usefully.
	_ = outW.Close()
	_ = errW.Close()
	c := &child{
		cmd:    cmd,
		stdout: newTranscript("stdout of "+cmd.Path, outR),
		stderr: newTranscript("stderr of "+cmd.Path, errR),
		exited: make(chan struct{}),
	}
	require.NoError(t, startErr)
	go func() {
		// The exit status is read from cmd.ProcessState; Wait's error only repeats it.
		_ = cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			// Kill fails only if the process has just exited, which is what we want anyway.
			_ = cmd.Process.Kill()
			<-c.exited
		}
		if t.Failed() {
			t.Logf("pid %d (%v) standard output:\n%s\nstandard error:\n%s", cmd.Process.Pid, cmd.ProcessState, c.stdout, c.stderr)
		}
	})
	return c
}

// withQuickRaceExit adds to env what a child built with the race detector needs to exit at
// once: by default its runtime sleeps a second at exit, to give goroutines still running a
// chance to report a race, which only slows these tests; their children exit once the work
// the tests check is done.
func withQuickRaceExit(env []string) []string {
	if !raceEnabled {
		return env
	}
	return append(env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
}

// startEcho starts gracefulecho with args.
func startEcho(t *testing.T, args ...string) *child {
	t.Helper()
	return start(t, echoCommand(args...))
}

// pid is the process's id.
func (c *child) pid() int { return c.cmd.Process.Pid }

// signal sends sig to the process.
func (c *child) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, c.cmd.Process.Signal(sig))
}

// waitServing waits until the server with pid reports that it serves, and returns its
// address.
func (c *child) waitServing(t *testing.T, pid int) string {
	t.Helper()
	want := strconv.Itoa(pid)
	return c.stdout.waitFor(t, servingLine, func(m []string) bool { return m[2] == want })[1]
}

// waitStopped waits until the server with pid reports that Serve returned nil, and returns
// how many bytes it read.
func (c *child) waitStopped(t *testing.T, pid int) int64 {
	t.Helper()
	want := strconv.Itoa(pid)
	match := c.stdout.waitFor(t, stoppedLine, func(m []string) bool { return m[1] == want })
	n, err := strconv.ParseInt(match[2], 10, 64)
	require.NoError(t, err)
	return n
}

// waitExit waits, up to testutil.WaitLimit, for the process to exit and returns its exit
// status (-1 when a signal ended it).
func (c *child) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-c.exited:
		if !c.cmd.ProcessState.Exited() {
			t.Logf("pid %d ended by a signal: %v", c.pid(), c.cmd.ProcessState)
		}
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(testutil.WaitLimit):
		t.Fatalf("pid %d still running after %v", c.pid(), testutil.WaitLimit)
		return 0
	}
}

// requireNoConnectionErrors fails the test if the server closed any connection with an error.
func (c *child) requireNoConnectionErrors(t *testing.T) {
	t.Helper()
	require.Zero(t, c.stdout.count("closed with error"), "connections closed with an error")
}
