package server

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Sockets handed over at start-up: by a gnet process restarting (GNET_LISTEN_FDS,
// GNET_LISTEN_PARENT, GNET_READY_FD) or by systemd socket activation (LISTEN_FDS, LISTEN_PID).
// Either way they are descriptors 3, 4, ... in the order the server opens its sockets.
const (
	envListenFDs    = "GNET_LISTEN_FDS"
	envListenParent = "GNET_LISTEN_PARENT"
	envReadyFD      = "GNET_READY_FD"
	envSystemdFDs   = "LISTEN_FDS"
	envSystemdPID   = "LISTEN_PID"
	firstPassedFD   = 3
)

// inheritance is what this process was handed at start-up.
type inheritance struct {
	fds    []int
	parent int // the restarting gnet process, whose pid file we may take over; 0 otherwise
	source string
}

// takeInheritance reads and clears the hand-over variables, so that processes this one
// starts do not mistake them for their own.
func takeInheritance() inheritance {
	var in inheritance
	count := 0
	if n, err := strconv.Atoi(os.Getenv(envListenFDs)); err == nil && n > 0 {
		count, in.source = n, "the restarting process"
		in.parent, _ = strconv.Atoi(os.Getenv(envListenParent))
	} else if pid, err := strconv.Atoi(os.Getenv(envSystemdPID)); err == nil && pid == os.Getpid() {
		if n, err := strconv.Atoi(os.Getenv(envSystemdFDs)); err == nil && n > 0 {
			count, in.source = n, "systemd"
		}
	}
	for _, name := range []string{envListenFDs, envListenParent, envSystemdFDs, envSystemdPID, "LISTEN_FDNAMES"} {
		_ = os.Unsetenv(name) // Unsetenv fails only for invalid names, and these are valid
	}
	for i := range count {
		in.fds = append(in.fds, firstPassedFD+i)
	}
	return in
}

// inheritFreeEnv is the environment without any hand-over variables.
func inheritFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case envListenFDs, envListenParent, envReadyFD, envSystemdFDs, envSystemdPID, "LISTEN_FDNAMES":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// adopt takes an inherited descriptor as the socket for ep, after checking that it is one:
// the same kind of socket, bound where ep asks (any port if ep asks for port 0).
func adopt(fd int, ep endpoint, source string) (*listener, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("gnet: socket %d from %s does not fit %s: %s", fd, source, ep, fmt.Sprintf(format, args...))
	}
	sotype, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return nil, fail("%v", err)
	}
	if want := map[bool]int{true: unix.SOCK_STREAM, false: unix.SOCK_DGRAM}[ep.isStream()]; sotype != want {
		return nil, fail("socket type %d", sotype)
	}
	bound, err := unix.Getsockname(fd)
	if err != nil {
		return nil, fail("%v", err)
	}
	ln := &listener{fd: fd, ep: ep, addr: sockaddrToAddr(bound, ep.isStream())}
	if ep.network == "unix" {
		ua, ok := bound.(*unix.SockaddrUnix)
		if !ok || ua.Name != ep.address {
			return nil, fail("bound to %v", ln.addr)
		}
		ln.unixPath = ep.address
	} else {
		want, _, err := resolveInet(ep)
		if err != nil {
			return nil, err
		}
		if wantPort := sockaddrPort(want); wantPort != 0 && wantPort != sockaddrPort(bound) {
			return nil, fail("bound to %v", ln.addr)
		}
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, fail("%v", err)
	}
	return ln, nil
}

func sockaddrPort(sa unix.Sockaddr) int {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return a.Port
	case *unix.SockaddrInet6:
		return a.Port
	}
	return 0
}

// notifyReady tells the process that started this one (through the readiness pipe it passed)
// that this one is serving, so that it can stop.
func notifyReady() {
	fd, err := strconv.Atoi(os.Getenv(envReadyFD))
	_ = os.Unsetenv(envReadyFD) // valid name; cannot fail
	if err != nil || fd < firstPassedFD {
		return
	}
	f := os.NewFile(uintptr(fd), "gnet-ready")
	_, _ = f.Write([]byte{1}) // if the parent has gone there is nobody left to tell
	_ = f.Close()
}
