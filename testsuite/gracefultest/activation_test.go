package gracefultest

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// activatedSocket is the descriptor a test hands a child as systemd would: descriptor 3.
type activatedSocket struct {
	file *os.File
	port int
}

// openActivatedSocket opens a loopback socket of network ("tcp" or "udp") on a port the
// kernel picks and returns a descriptor of it for the child, which the test keeps open until
// it ends, as systemd keeps its own.
func openActivatedSocket(t *testing.T, network string) activatedSocket {
	t.Helper()
	socket := newActivatedSocket(t, network)
	t.Cleanup(func() {
		// The test is over; the socket was only ever a copy of what the child got.
		_ = socket.file.Close()
	})
	return socket
}

func newActivatedSocket(t *testing.T, network string) activatedSocket {
	t.Helper()
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		require.NoError(t, err)
		file, err := pc.(*net.UDPConn).File()
		require.NoError(t, err)
		require.NoError(t, pc.Close())
		return activatedSocket{file: file, port: pc.LocalAddr().(*net.UDPAddr).Port}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	file, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	return activatedSocket{file: file, port: ln.Addr().(*net.TCPAddr).Port}
}

// anotherPort returns a port other than port; nothing needs to listen on it.
func anotherPort(port int) int {
	if port == 65535 {
		return port - 1
	}
	return port + 1
}

func TestSocketActivationServesOnTheInheritedSocketWhenItFits(t *testing.T) {
	tests := []struct {
		name    string
		network string
		addr    func(port int) string
		// listenPID is what LISTEN_PID says; the shell's $$ is the server's own pid, since
		// the shell execs it.
		listenPID string
		// wantOwnSocket: the server ignores the inherited socket and binds its own.
		wantOwnSocket bool
		// wantErr: Serve fails with an error containing each of these.
		wantErr []string
	}{
		{
			name:      "tcp socket on the port the address names",
			network:   "tcp",
			addr:      func(port int) string { return "tcp://127.0.0.1:" + strconv.Itoa(port) },
			listenPID: "$$",
		},
		{
			name:      "tcp socket for an address asking for any port",
			network:   "tcp",
			addr:      func(int) string { return "tcp://127.0.0.1:0" },
			listenPID: "$$",
		},
		{
			name:          "LISTEN_PID naming another process",
			network:       "tcp",
			addr:          func(int) string { return "tcp://127.0.0.1:0" },
			listenPID:     "1",
			wantOwnSocket: true,
		},
		{
			name:      "datagram socket for a tcp address",
			network:   "udp",
			addr:      func(int) string { return "tcp://127.0.0.1:0" },
			listenPID: "$$",
			wantErr:   []string{"socket 3 from systemd does not fit", "socket type"},
		},
		{
			name:      "tcp socket bound to another port than the address names",
			network:   "tcp",
			addr:      func(port int) string { return "tcp://127.0.0.1:" + strconv.Itoa(anotherPort(port)) },
			listenPID: "$$",
			wantErr:   []string{"socket 3 from systemd does not fit", "bound to"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			socket := openActivatedSocket(t, tc.network)
			// The child's pid is known only once it runs: a shell sets LISTEN_PID to its own
			// pid and execs the server, which keeps that pid.
			cmd := exec.Command("/bin/sh", "-c", "LISTEN_PID="+tc.listenPID+` exec "$0" "$@"`,
				echoBinary, "-addr", tc.addr(socket.port))
			cmd.Env = append(os.Environ(), "LISTEN_FDS=1")
			cmd.ExtraFiles = []*os.File{socket.file}
			srv := start(t, cmd)

			if len(tc.wantErr) > 0 {
				require.Equal(t, 1, srv.waitExit(t), "exit status")
				serveErr := srv.stdout.waitFor(t, serveFailed, nil)[1]
				for _, want := range tc.wantErr {
					require.Contains(t, serveErr, want)
				}
				return
			}
			addr := srv.waitServing(t, srv.pid())
			_, port, err := net.SplitHostPort(addr)
			require.NoError(t, err)
			if tc.wantOwnSocket {
				require.NotEqual(t, strconv.Itoa(socket.port), port, "port served")
			} else {
				require.Equal(t, strconv.Itoa(socket.port), port, "port served")
			}
			requireEchoes(t, addr, 3)
			srv.signal(t, syscall.SIGTERM)
			require.Equal(t, 0, srv.waitExit(t), "exit status")
			srv.waitStopped(t, srv.pid())
			srv.requireNoConnectionErrors(t)
		})
	}
}
