package fleet

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// waitLimit bounds every wait for a process or a proxy: a test that reaches it has found a
// hang, not a slow machine.
const waitLimit = 30 * time.Second

// pollEvery is how often a wait for a process looks again.
const pollEvery = 10 * time.Millisecond

// servingLine is what the echo server logs once it serves, with its address.
var servingLine = regexp.MustCompile(`echo: serving tcp on (\S+) with`)

// becomeSubreaper makes this test process adopt the orphans of its children: the process a
// restarting server starts outlives it, and as a subreaper we can wait for it like a child.
// The setting lasts for the life of the test binary.
func becomeSubreaper(t *testing.T) {
	t.Helper()
	require.NoError(t, os.NewSyscallError("prctl PR_SET_CHILD_SUBREAPER", unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)))
}

// process is one echo server process, ours to wait for.
type process struct {
	pid int
	// exited is closed once the process has been waited for; status is then set.
	exited chan struct{}
	status syscall.WaitStatus
}

// adopt waits for pid, which must be our child: started by us, or adopted once its parent
// exited.
func adopt(pid int) *process {
	p := &process{pid: pid, exited: make(chan struct{})}
	go func() {
		defer close(p.exited)
		for {
			if _, err := unix.Wait4(pid, (*unix.WaitStatus)(&p.status), 0, nil); !errors.Is(err, unix.EINTR) {
				return
			}
		}
	}()
	return p
}

// waitExit waits for p to exit and returns its exit status, -1 when a signal ended it.
func (p *process) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(waitLimit):
		t.Fatalf("pid %d still running after %v", p.pid, waitLimit)
	}
	if !p.status.Exited() {
		return -1
	}
	return p.status.ExitStatus()
}

// instance is one server of the fleet through its restarts: the process the test started, then
// each that took over from the one before. Use it from the test's goroutine.
type instance struct {
	// name is its server's name in HAProxy's backend.
	name string
	// addr is where it serves, the same through restarts.
	addr    string
	pidFile string
	// log is the standard error of every process of the lineage: each inherits it.
	log     *lineLog
	current *process
}

// startInstance starts an echo server on ip, on a port the kernel chooses, with the PROXY
// protocol required, graceful stop and restart and a pid file, and waits until it serves.
// Whatever process serves for it is killed when the test ends.
func startInstance(t *testing.T, name, ip string) *instance {
	t.Helper()
	in := &instance{name: name, pidFile: filepath.Join(t.TempDir(), name+".pid"), log: new(lineLog)}
	cmd := exec.Command(echoBinary, "-addr", "tcp://"+ip+":0", "-loops", "1", "-graceful",
		"-pidfile", in.pidFile, "-proxy", "required", "-drain", "10s")
	cmd.Env = withQuickRaceExit(os.Environ())
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, os.NewSyscallError("fork/exec", cmd.Start()))
	go in.log.collect(stderr)
	pid := cmd.Process.Pid
	in.current = adopt(pid)
	// Waited for by pid like its successors; exec's handle on it is not needed.
	require.NoError(t, cmd.Process.Release())
	t.Cleanup(func() {
		select {
		case <-in.current.exited:
		default:
			// It may have exited just now, which is all this is for.
			_ = unix.Kill(in.current.pid, unix.SIGKILL)
			<-in.current.exited
		}
		if t.Failed() {
			t.Logf("%s (%s) standard error:\n%s", name, in.addr, in.log)
		}
	})
	in.addr = in.log.waitFor(t, servingLine)[1]
	require.Equal(t, pid, in.waitPidFile(t, 0))
	return in
}

// withQuickRaceExit adds to env what a server built with the race detector needs to exit at
// once instead of sleeping a second first.
func withQuickRaceExit(env []string) []string {
	if !raceEnabled {
		return env
	}
	return append(env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
}

// waitPidFile waits until the pid file names a process other than not, and returns it.
func (in *instance) waitPidFile(t *testing.T, not int) int {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		text, err := os.ReadFile(in.pidFile)
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(text))); err == nil && pid != not {
				return pid
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the pid file %s does not name a new process after %v (%q, %v)", in.name, in.pidFile, waitLimit, text, err)
		}
		time.Sleep(pollEvery)
	}
}

// restart sends SIGUSR2 and waits until the new process serves (the pid file names it) and the
// old one has drained and exited cleanly.
func (in *instance) restart(t *testing.T) {
	t.Helper()
	old := in.current
	require.NoError(t, unix.Kill(old.pid, unix.SIGUSR2))
	next := in.waitPidFile(t, old.pid)
	require.Equal(t, 0, old.waitExit(t), "%s: exit status of pid %d after handing over to %d", in.name, old.pid, next)
	// Its parent has exited: the new process is our child now.
	in.current = adopt(next)
}

// kill ends the serving process with SIGKILL and waits for it.
func (in *instance) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, unix.Kill(in.current.pid, unix.SIGKILL))
	require.Equal(t, -1, in.current.waitExit(t), "%s: pid %d ended by the signal", in.name, in.current.pid)
}

// stop stops the serving process gracefully with SIGTERM and waits for its clean exit.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, unix.Kill(in.current.pid, unix.SIGTERM))
	require.Equal(t, 0, in.current.waitExit(t), "%s: exit status of pid %d after SIGTERM", in.name, in.current.pid)
}

// maxLogLines bounds what a lineLog keeps.
const maxLogLines = 10_000

// lineLog keeps the lines a lineage of processes writes. Safe from any goroutine.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

// collect reads r line by line until it ends: once every process writing to it has exited.
func (l *lineLog) collect(r io.Reader) {
	scanner := bufio.NewScanner(r)
	for scanner.Scan() {
		l.mu.Lock()
		if len(l.lines) < maxLogLines {
			l.lines = append(l.lines, scanner.Text())
		}
		l.mu.Unlock()
	}
}

// waitFor waits until a line matches re and returns its submatches.
func (l *lineLog) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		l.mu.Lock()
		for _, line := range l.lines {
			if m := re.FindStringSubmatch(line); m != nil {
				l.mu.Unlock()
				return m
			}
		}
		l.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no line matching %q after %v:\n%s", re, waitLimit, l)
		}
		time.Sleep(pollEvery)
	}
}

// count returns how many lines contain substr.
func (l *lineLog) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}
