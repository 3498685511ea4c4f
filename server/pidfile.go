package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ErrPidFileInUse is returned by Serve when the pid file names another live process: a second
// server started with the same pid file while the first runs.
var ErrPidFileInUse = errors.New("gnet: pid file names a running process")

// writePidFile records this process's pid at path, atomically (a temporary file renamed over
// it). A pid file naming another live process is refused, unless that process is parent, the
// server handing its sockets over to this one.
func writePidFile(path string, parent int) error {
	if data, err := os.ReadFile(path); err == nil {
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		if pid > 0 && pid != os.Getpid() && pid != parent && processAlive(pid) {
			return fmt.Errorf("%w: %s holds pid %d", ErrPidFileInUse, path, pid)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("gnet: writing pid file: %w", err)
	}
	_, err = fmt.Fprintf(tmp, "%d\n", os.Getpid())
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name()) // best effort; the error below says what failed
		return fmt.Errorf("gnet: writing pid file: %w", err)
	}
	return nil
}

// removePidFile removes the pid file if it still names this process: after a restart it names
// the successor, which must keep it.
func removePidFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	if pid, _ := strconv.Atoi(strings.TrimSpace(string(data))); pid == os.Getpid() {
		_ = os.Remove(path) // a pid file that cannot be removed is left for the next start to replace
	}
}

// processAlive reports whether pid names a process (one we may not signal counts too).
func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}
