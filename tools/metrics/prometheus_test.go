package metrics_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// These tests run a real Prometheus (Debian's prometheus package: the prometheus and promtool
// binaries) against the echo example under load, when they are installed; tools/test.sh
// installs them. Every wait is bounded by waitLimit.

const waitLimit = 30 * time.Second

// lookPath returns the path of a Prometheus binary, or skips the test.
func lookPath(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not on PATH: install Debian's prometheus package (tools/test.sh does)", name)
	}
	return path
}

// startProcess starts cmd and kills it when the test ends.
func startProcess(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	require.NoError(t, cmd.Start(), cmd.Path)
	t.Cleanup(func() {
		// Killed at the end of the test: the exit status says only that.
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
}

var (
	servingLine = regexp.MustCompile(`echo: serving tcp on (\S+) with`)
	metricsLine = regexp.MustCompile(`metrics: serving (http://\S+/metrics)`)
)

// startEcho builds tools/cmd/echo, runs it with two loops, the length codec and metrics on a
// port of its choosing, and returns the address it serves and the URL of its metrics.
func startEcho(t *testing.T) (addr, metricsURL string) {
	t.Helper()
	binary := filepath.Join(t.TempDir(), "echo")
	// go test puts its own go command first in PATH, so this builds with the toolchain and
	// workspace under test.
	out, err := exec.Command("go", "build", "-o", binary, "github.com/gnetio/gnet/tools/cmd/echo").CombinedOutput()
	require.NoError(t, err, "building the echo example: %s", out)
	cmd := exec.Command(binary, "-addr", "tcp://127.0.0.1:0", "-loops", "2", "-codec", "length",
		"-metrics-addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	startProcess(t, cmd)
	found := make(chan [2]string, 1)
	go func() {
		var serving, metrics string
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if m := servingLine.FindStringSubmatch(lines.Text()); m != nil {
				serving = m[1]
			}
			if m := metricsLine.FindStringSubmatch(lines.Text()); m != nil {
				metrics = m[1]
			}
			if serving != "" && metrics != "" {
				found <- [2]string{serving, metrics}
				break
			}
		}
		// Keep reading, so that the server never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case f := <-found:
		return f[0], f[1]
	case <-time.After(waitLimit):
		t.Fatal("the echo example never said where it serves")
		return "", ""
	}
}

// freePort returns a loopback address with a port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// startPrometheus runs Prometheus with a temporary configuration and data folder, scraping
// target every 250ms, and returns the address of its HTTP API once it is ready.
func startPrometheus(t *testing.T, prometheus, target string) string {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "prometheus.yml")
	require.NoError(t, os.WriteFile(config, []byte(fmt.Sprintf(`global:
  scrape_interval: 250ms
  scrape_timeout: 200ms
scrape_configs:
  - job_name: gnet
    static_configs:
      - targets: ['%s']
`, target)), 0o600))
	listen := freePort(t)
	output, err := os.Create(filepath.Join(dir, "prometheus.log"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = output.Close() }) // only read for a failure message
	cmd := exec.Command(prometheus, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+listen, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = output, output
	startProcess(t, cmd)
	client := &http.Client{Timeout: time.Second}
	ready := func() bool {
		resp, err := client.Get("http://" + listen + "/-/ready")
		if err != nil {
			return false
		}
		_ = resp.Body.Close() // only the status matters
		return resp.StatusCode == http.StatusOK
	}
	for deadline := time.Now().Add(waitLimit); !ready(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			logged, _ := os.ReadFile(output.Name()) // what could be read is all there is to show
			t.Fatalf("Prometheus never became ready; its output:\n%s", logged)
		}
	}
	return listen
}

// queryValue asks Prometheus for the value of an instant query that yields one number; ok is
// false while it yields none.
func queryValue(t *testing.T, api, query string) (value float64, ok bool) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + api + "/api/v1/query?query=" + url.QueryEscape(query))
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }() // read in full below
	var answer struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
	require.Equal(t, "success", answer.Status, query)
	if len(answer.Data.Result) == 0 {
		return 0, false
	}
	require.Len(t, answer.Data.Result, 1, query)
	text, isString := answer.Data.Result[0].Value[1].(string)
	require.True(t, isString, query)
	value, err = strconv.ParseFloat(text, 64)
	require.NoError(t, err, query)
	return value, true
}

// echoLoad sends frames length-prefixed frames of size bytes over each of conns connections
// to addr, reads every echo, and closes the connections.
func echoLoad(t *testing.T, addr string, conns, frames, size int) {
	t.Helper()
	frame := binary.BigEndian.AppendUint32(nil, uint32(size))
	frame = append(frame, bytes.Repeat([]byte{'m'}, size)...)
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- echoFrames(addr, frame, frames)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// echoFrames sends frame n times over a new connection to addr, 10 at a time, and reads
// every echo before closing it.
func echoFrames(addr string, frame []byte, n int) error {
	conn, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }() // the load is over either way
	if err := conn.SetDeadline(time.Now().Add(waitLimit)); err != nil {
		return err
	}
	const batch = 10
	out := bytes.Repeat(frame, batch)
	in := make([]byte, len(out))
	for sent := 0; sent < n; sent += batch {
		if _, err := conn.Write(out); err != nil {
			return err
		}
		if _, err := io.ReadFull(conn, in); err != nil {
			return err
		}
		if !bytes.Equal(in, out) {
			return fmt.Errorf("the echo differs from what was sent")
		}
	}
	return nil
}

// scrapeMetrics returns the metrics page at url.
func scrapeMetrics(t *testing.T, url string) []byte {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }() // read in full below
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}

// A real Prometheus scrapes the echo example while it serves a known load: once the load is
// over, the series it stored say exactly how many connections came and went, and how many
// frames and bytes went each way. promtool finds nothing to complain about in the page.
func TestPrometheusScrapesTheEchoExampleAndSeesTheLoadItServed(t *testing.T) {
	prometheus := lookPath(t, "prometheus")
	promtool := lookPath(t, "promtool")
	addr, metricsURL := startEcho(t)
	target, err := url.Parse(metricsURL)
	require.NoError(t, err)
	api := startPrometheus(t, prometheus, target.Host)
	require.Eventually(t, func() bool {
		up, ok := queryValue(t, api, `up{job="gnet"}`)
		return ok && up == 1
	}, waitLimit, 100*time.Millisecond, "Prometheus never scraped the echo example")

	const conns, frames, size = 8, 500, 64
	echoLoad(t, addr, conns, frames, size)

	wireBytes := float64(conns * frames * (4 + size))
	want := map[string]float64{
		`sum(gnet_connections_accepted_total{job="gnet"})`:            conns,
		`sum(gnet_connections_closed_total{job="gnet",cause="peer"})`: conns,
		`sum(gnet_connections_closed_total{job="gnet"})`:              conns,
		`sum(gnet_connections_open{job="gnet"})`:                      0,
		`sum(gnet_frames_received_total{job="gnet"})`:                 conns * frames,
		`sum(gnet_frames_sent_total{job="gnet"})`:                     conns * frames,
		`sum(gnet_bytes_received_total{job="gnet"})`:                  wireBytes,
		`sum(gnet_bytes_sent_total{job="gnet"})`:                      wireBytes,
		`gnet_event_loops{job="gnet"}`:                                2,
		`count(count by (loop) (gnet_loop_turns_total{job="gnet"}))`:  3, // two loops and the acceptor
		`sum(gnet_outbound_queued_bytes{job="gnet"})`:                 0,
	}
	got := map[string]float64{}
	// The last connections close after the last echo: a scrape or two later, Prometheus has
	// the final figures.
	settled := func() bool {
		for query, value := range want {
			v, ok := queryValue(t, api, query)
			got[query] = v
			if !ok || v != value {
				return false
			}
		}
		return true
	}
	require.Eventually(t, settled, waitLimit, 250*time.Millisecond, "Prometheus's figures never matched the load")
	require.Equal(t, want, got)

	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = bytes.NewReader(scrapeMetrics(t, metricsURL))
	out, err := check.CombinedOutput()
	require.NoError(t, err, "promtool check metrics:\n%s", out)
}
