package haproxy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// waitLimit bounds every wait for HAProxy: to start, to answer its runtime API, to see a
// server change state. It is generous: a test that reaches it has found a hang.
const waitLimit = 20 * time.Second

// Proxy is a running HAProxy.
type Proxy struct {
	// Addr is the frontend's address, a free loopback port: dial it to reach the backend.
	Addr net.Addr
	// apiSocket is the unix socket of HAProxy's runtime API.
	apiSocket string
	cmd       *exec.Cmd
	// outputPath is the file HAProxy's standard output and error go to.
	outputPath string
	exited     chan struct{}
}

// Require returns the path of the haproxy executable, or skips t when it is not installed.
func Require(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("haproxy")
	if err != nil {
		t.Skip("haproxy is not installed (apt-get install haproxy; tools/test.sh installs it)")
	}
	return path
}

// Config is what a test adds to the haproxy.cfg Start writes: lines of the frontend and of
// the backend "app", one keyword per line.
type Config struct {
	// Frontend is added to the frontend's section, after its bind line (unique-id-format,
	// say). Optional.
	Frontend string
	// Backend is the backend's section: server lines and options (balance, option
	// tcp-check, default-server, ...).
	Backend string
}

// Start runs HAProxy with one frontend in mode tcp that sends every connection to the backend
// "app" of cfg. The frontend listens on a loopback port the kernel chose, on a socket the test
// binds and passes to HAProxy as its descriptor 3 (bind fd@3), so that no port is guessed. It
// returns once the runtime API answers; HAProxy is stopped when the test ends, and its output
// logged if the test failed. Start skips t when haproxy is not installed. Call it from the
// test's goroutine.
func Start(t testing.TB, cfg Config) *Proxy {
	t.Helper()
	path := Require(t)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("binding the frontend's socket: %v", err)
	}
	lnFile, err := ln.(*net.TCPListener).File()
	// HAProxy gets its own copy of the socket; ours is not needed past the start.
	defer func() { _ = ln.Close() }()
	if err != nil {
		t.Fatalf("handing the frontend's socket over: %v", err)
	}
	defer func() { _ = lnFile.Close() }()
	p := &Proxy{
		Addr:       ln.Addr(),
		apiSocket:  filepath.Join(dir, "api.sock"),
		outputPath: filepath.Join(dir, "haproxy.out"),
		exited:     make(chan struct{}),
	}
	output, err := os.Create(p.outputPath)
	if err != nil {
		t.Fatal(err)
	}
	// HAProxy has its own descriptor for the file once started.
	defer func() { _ = output.Close() }()
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(configText(p.apiSocket, cfg)), 0o600); err != nil {
		t.Fatal(err)
	}
	// -db: stay in the foreground, as the test's child, instead of becoming a daemon.
	p.cmd = exec.Command(path, "-f", cfgPath, "-db")
	p.cmd.ExtraFiles = []*os.File{lnFile}
	p.cmd.Stdout, p.cmd.Stderr = output, output
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting haproxy: %v", err)
	}
	go func() {
		// The exit status is read from ProcessState; Wait's error only repeats it.
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() { p.stop(t) })
	p.waitAPI(t)
	return p
}

// configText is the whole haproxy.cfg: one thread and no logging, as fits a test; a
// frontend on the socket passed as descriptor 3; backend "app" as cfg says.
func configText(apiSocket string, cfg Config) string {
	return fmt.Sprintf(`global
	nbthread 1
	maxconn 4096
	stats socket %s level admin

defaults
	mode tcp
	timeout connect 2s
	timeout client 60s
	timeout server 60s

frontend front
	bind fd@3
	default_backend app
	%s

backend app
	%s
`, apiSocket, indented(cfg.Frontend), indented(cfg.Backend))
}

// indented puts a tab before every line of section but its first, which the template indents.
func indented(section string) string {
	return strings.ReplaceAll(strings.TrimSpace(section), "\n", "\n\t")
}

// stop ends HAProxy, at once: the tests are over with it.
func (p *Proxy) stop(t testing.TB) {
	select {
	case <-p.exited:
		t.Errorf("haproxy exited before the test ended: %v\n%s", p.cmd.ProcessState, p.output())
		return
	default:
	}
	// Kill fails only if it has just exited, which is what we want anyway.
	_ = p.cmd.Process.Kill()
	<-p.exited
	if t.Failed() {
		t.Logf("haproxy output:\n%s", p.output())
	}
}

// waitAPI waits until HAProxy's runtime API answers, which it does once the configuration is
// loaded and the frontend listens.
func (p *Proxy) waitAPI(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		if _, err := p.command("show info"); err == nil {
			return
		}
		select {
		case <-p.exited:
			t.Fatalf("haproxy exited at start: %v\n%s", p.cmd.ProcessState, p.output())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy's runtime API did not answer within %v\n%s", waitLimit, p.output())
		}
	}
}

// command sends one command to the runtime API and returns the answer, which HAProxy ends by
// closing the connection.
func (p *Proxy) command(cmd string) ([]byte, error) {
	conn, err := net.DialTimeout("unix", p.apiSocket, waitLimit)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }() // the answer is read; nothing is left to report
	if err := conn.SetDeadline(time.Now().Add(waitLimit)); err != nil {
		return nil, err
	}
	if _, err := io.WriteString(conn, cmd+"\n"); err != nil {
		return nil, err
	}
	return io.ReadAll(conn)
}

// Server is one backend server as HAProxy's statistics describe it.
type Server struct {
	// Status is UP, DOWN, or a transition such as "UP 1/2" (going down) or "DOWN 1/2"
	// (coming up).
	Status string
	// Current is the number of sessions open with it, Total the number it has had.
	Current, Total int64
	// ConnectErrors counts failed connects to it, Retries the connects retried and
	// Redispatches the sessions sent to another server after failing on this one.
	ConnectErrors, Retries, Redispatches int64
	// ResponseErrors counts sessions it ended abnormally, and ServerAborts the transfers it
	// aborted (a reset, a close in the middle).
	ResponseErrors, ServerAborts int64
	// CheckDowns counts its transitions from UP to DOWN.
	CheckDowns int64
}

// Servers returns the servers of backend "app" by name, read from "show stat".
func (p *Proxy) Servers(t testing.TB) map[string]Server {
	t.Helper()
	out, err := p.command("show stat")
	if err != nil {
		t.Fatalf("show stat: %v", err)
	}
	servers, err := parseStat(out)
	if err != nil {
		t.Fatalf("show stat: %v\n%s", err, out)
	}
	return servers
}

// parseStat reads the CSV of "show stat": a header line "# pxname,svname,...", then a row per
// proxy, server and listener.
func parseStat(out []byte) (map[string]Server, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out, []byte("# "))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("no header line")
	}
	column := make(map[string]int)
	for i, name := range rows[0] {
		column[name] = i
	}
	servers := make(map[string]Server)
	for _, row := range rows[1:] {
		field := func(name string) string {
			if i, ok := column[name]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		number := func(name string) int64 {
			n, _ := strconv.ParseInt(field(name), 10, 64) // an empty field is 0
			return n
		}
		if field("pxname") != "app" || field("type") != "2" {
			continue // a frontend, the backend's own row or a listener
		}
		servers[field("svname")] = Server{
			Status:         field("status"),
			Current:        number("scur"),
			Total:          number("stot"),
			ConnectErrors:  number("econ"),
			Retries:        number("wretr"),
			Redispatches:   number("wredis"),
			ResponseErrors: number("eresp"),
			ServerAborts:   number("srv_abrt"),
			CheckDowns:     number("chkdown"),
		}
	}
	return servers, nil
}

// WaitStatus waits until server's status is status (UP, DOWN) and returns the servers as they
// were then.
func (p *Proxy) WaitStatus(t testing.TB, server, status string) map[string]Server {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		servers := p.Servers(t)
		if servers[server].Status == status {
			return servers
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s is %q, not %s, after %v: %+v", server, servers[server].Status, status, waitLimit, servers)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// output returns what HAProxy has printed, for a failure message.
func (p *Proxy) output() string {
	out, err := os.ReadFile(p.outputPath)
	if err != nil {
		return err.Error()
	}
	return string(out)
}
