//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package faulttest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

const emfileChildEnv = "GNET_FAULTTEST_EMFILE_CHILD"

// printingLogger writes the engine's warnings to standard output, where the parent test
// counts them.
type printingLogger struct{}

func (printingLogger) Debugf(string, ...any)            {}
func (printingLogger) Infof(string, ...any)             {}
func (printingLogger) Warnf(format string, args ...any) { fmt.Printf("WARN "+format+"\n", args...) }
func (printingLogger) Errorf(format string, args ...any) {
	fmt.Printf("ERROR "+format+"\n", args...)
}

// TestMain lets this test binary double as the server child process of the EMFILE test.
func TestMain(m *testing.M) {
	if os.Getenv(emfileChildEnv) == "" {
		os.Exit(m.Run())
	}
	// Few descriptors: the runtime, the poller and the listener take about ten; the rest go
	// to connections, so the server runs out after a handful.
	limit := &syscall.Rlimit{Cur: 24, Max: 24}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, limit); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(1)
	}
	h := newCloseRecorder()
	go func() {
		srv := <-h.started
		fmt.Println("ADDR", srv.Addr)
	}()
	err := server.Serve(h, "tcp://127.0.0.1:0", server.WithLoopNum(1), server.WithLogger(printingLogger{}))
	fmt.Println("serve:", err)
	os.Exit(0)
}

var _ api.Logger = printingLogger{}

func TestAcceptBacksOffWhenOutOfDescriptorsAndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), emfileChildEnv+"=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	lines := bufio.NewScanner(stdout)
	var addr string
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "ADDR "); ok {
			addr = a
			break
		}
	}
	require.NotEmpty(t, addr, "the child reported its address")
	var pauses, errs atomic.Int32
	go func() {
		for lines.Scan() {
			switch line := lines.Text(); {
			case strings.Contains(line, "pausing accepts"):
				pauses.Add(1)
			case strings.HasPrefix(line, "ERROR"):
				errs.Add(1)
			}
		}
	}()

	// More connections than the child has descriptors: the kernel completes them all (they
	// wait in the backlog), the child accepts until accept fails with EMFILE.
	var conns []net.Conn
	for range 40 {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		conns = append(conns, c)
	}
	require.Eventually(t, func() bool { return pauses.Load() > 0 }, 10*time.Second, 10*time.Millisecond,
		"the child hit the descriptor limit and paused accepting")
	// Hold the limit for a second: a loop spinning on a failing accept would log thousands of
	// pauses; one that backs off logs about one per backoff period.
	time.Sleep(time.Second)
	require.Less(t, pauses.Load(), int32(100), "accepting backs off instead of spinning")
	require.Zero(t, errs.Load(), "no errors logged: running out of descriptors is a warning")

	// Connections accepted before the limit keep being served: the first one dialed was
	// accepted before the descriptors ran out, however slowly the child runs.
	require.NoError(t, conns[0].SetDeadline(time.Now().Add(10*time.Second)))
	_, err = conns[0].Write([]byte("x"))
	require.NoError(t, err)
	var first [1]byte
	_, err = io.ReadFull(conns[0], first[:])
	require.NoError(t, err, "accepted connections are still served while accepting is paused")

	// Free descriptors: the child accepts the waiting connections and serves them.
	for _, c := range conns[:30] {
		_ = c.Close()
	}
	require.Eventually(t, func() bool {
		for _, c := range conns[30:] {
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			if _, err := c.Write([]byte("y")); err != nil {
				return false
			}
			var b [1]byte
			if _, err := io.ReadFull(c, b[:]); err != nil || b[0] != 'y' {
				return false
			}
		}
		return true
	}, 15*time.Second, 100*time.Millisecond, "once descriptors are free, waiting connections are accepted and served")
}
