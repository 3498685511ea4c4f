//go:build linux

package server

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// restartSignal asks a graceful server to restart without dropping a connection.
var restartSignal os.Signal = syscall.SIGUSR2

// restart starts a new copy of this program that inherits the listening sockets, waits until it
// reports that it is serving, and then stops this one gracefully. If the new process fails to
// start or to report in time, this one keeps serving and logs why.
func (s *server) restart() {
	pid, err := s.startSuccessor()
	if err != nil {
		s.cfg.logger.Errorf("gnet: restart failed, still serving: %v", err)
		return
	}
	s.cfg.logger.Infof("gnet: restarted as pid %d; draining this process", pid)
	s.handedOff.Store(true)
	s.signalShutdown()
}

// startSuccessor execs the program with the sockets as extra files and a pipe to report
// readiness on, and waits for the report.
func (s *server) startSuccessor() (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("locating the executable: %w", err)
	}
	files := make([]*os.File, 0, len(s.sockets)+1)
	defer func() {
		for _, f := range files {
			_ = f.Close() // the child has its own copies; ours only needed to reach exec
		}
	}()
	for _, ln := range s.sockets {
		fd, err := unix.FcntlInt(uintptr(ln.fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return 0, os.NewSyscallError("fcntl F_DUPFD_CLOEXEC", err)
		}
		files = append(files, os.NewFile(uintptr(fd), ln.ep.String()))
	}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer func() { _ = readyR.Close() }() // only our read end; nothing is lost if closing it fails
	files = append(files, readyW)

	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = files
	cmd.Env = append(inheritFreeEnv(),
		envListenFDs+"="+strconv.Itoa(len(s.sockets)),
		envListenParent+"="+strconv.Itoa(os.Getpid()),
		envReadyFD+"="+strconv.Itoa(3+len(s.sockets)))
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("starting %s: %w", exe, err)
	}
	// Our copy of the write end must go, so that the child's exit shows as end of file.
	_ = readyW.Close()
	files = files[:len(files)-1]

	ready := make(chan error, 1)
	go func() {
		var b [1]byte
		n, err := readyR.Read(b[:])
		if n == 1 {
			ready <- nil
			return
		}
		ready <- fmt.Errorf("the new process exited or closed its readiness pipe before serving: %w", err)
	}()
	timer := time.NewTimer(s.cfg.restartTimeout)
	defer timer.Stop()
	select {
	case err := <-ready:
		if err == nil {
			go func() { _ = cmd.Wait() }() // reap it should it exit before we do
			return cmd.Process.Pid, nil
		}
		_ = cmd.Wait()
		return 0, err
	case <-timer.C:
		_ = cmd.Process.Kill() // it did not report in time; it must not serve beside us
		_ = cmd.Wait()
		_ = readyR.Close() // ends the reader goroutine
		return 0, errors.New("the new process did not report serving within " + s.cfg.restartTimeout.String())
	}
}
