//go:build linux

package gracefultest

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// becomeSubreaper makes this test process adopt the orphans of its children: the process a
// restarting server starts outlives it, and as a subreaper we can wait for it and read its exit
// status like a child's. The setting lasts for the life of the test binary and only adds
// orphans of our own children.
func becomeSubreaper(t *testing.T) {
	t.Helper()
	require.NoError(t, os.NewSyscallError("prctl PR_SET_CHILD_SUBREAPER", unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)))
}

// successor is a process a restarting server started, ours to wait for once that server has
// exited (see becomeSubreaper).
type successor struct {
	pid int
	// stdout is the first server's standard output, which every successor inherits.
	stdout *transcript
	// lineage holds the pids of the servers before this one, the first one first.
	lineage []int
	status  unix.WaitStatus
	err     error
	// exited is closed once the process has been waited for and status or err is set.
	exited chan struct{}
}

// waitSuccessor waits until the process that c started on a restart reports that it serves,
// and returns it.
func (c *child) waitSuccessor(t *testing.T) *successor {
	t.Helper()
	return watchSuccessor(t, c.stdout, []int{c.pid()}, c.exited, func() {
		_ = c.cmd.Process.Kill() // it may have exited already, which is all this is for
	})
}

// waitSuccessor waits until the process that s started on a restart reports that it serves,
// and returns it.
func (s *successor) waitSuccessor(t *testing.T) *successor {
	t.Helper()
	return watchSuccessor(t, s.stdout, append(s.lineage[:len(s.lineage):len(s.lineage)], s.pid), s.exited, func() {
		_ = unix.Kill(s.pid, unix.SIGKILL) // it may have exited already, which is all this is for
	})
}

// watchSuccessor waits for a serving line on stdout from a pid not in lineage, whose last
// entry is the parent; parentExited is closed once the parent has exited, and killParent ends
// it. When the test ends the successor is killed, with its parent, if still running.
func watchSuccessor(t *testing.T, stdout *transcript, lineage []int, parentExited <-chan struct{}, killParent func()) *successor {
	t.Helper()
	match := stdout.waitFor(t, servingLine, func(m []string) bool {
		pid, err := strconv.Atoi(m[2])
		return err == nil && !slices.Contains(lineage, pid)
	})
	pid, err := strconv.Atoi(match[2])
	require.NoError(t, err)
	s := &successor{pid: pid, stdout: stdout, lineage: lineage, exited: make(chan struct{})}
	go func() {
		<-parentExited // until then it is the parent's child, not ours
		for {
			_, err := unix.Wait4(pid, &s.status, 0, nil)
			if !errors.Is(err, unix.EINTR) {
				s.err = err
				break
			}
		}
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
			return
		default:
		}
		_ = unix.Kill(pid, unix.SIGKILL) // it may have exited already, which is all this is for
		killParent()
		<-s.exited
	})
	return s
}

// signal sends sig to the process.
func (s *successor) signal(t *testing.T, sig unix.Signal) {
	t.Helper()
	require.NoError(t, os.NewSyscallError("kill", unix.Kill(s.pid, sig)))
}

// waitExit waits, up to testutil.WaitLimit, for the process to exit and returns its exit
// status (-1 when a signal ended it).
func (s *successor) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-s.exited:
	case <-time.After(testutil.WaitLimit):
		t.Fatalf("successor pid %d still running after %v", s.pid, testutil.WaitLimit)
	}
	require.NoError(t, os.NewSyscallError("wait4", s.err))
	if !s.status.Exited() {
		return -1
	}
	return s.status.ExitStatus()
}
