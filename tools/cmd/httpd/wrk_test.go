package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrkScript makes wrk send args[1] requests for the URL's path in every write (1 when not
// given) and count the responses whose status is not 2xx; wrk's own "Non-2xx or 3xx" line
// lets 3xx pass. The count is kept per thread and summed at the end.
const wrkScript = `
local threads = {}
function setup(thread)
	table.insert(threads, thread)
end
function init(args)
	local depth = tonumber(args[1]) or 1
	local batch = {}
	for i = 1, depth do
		batch[i] = wrk.format()
	end
	pipelined = table.concat(batch)
	non2xx = 0
end
function request()
	return pipelined
end
function response(status, headers, body)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
	end
end
function done(summary, latency, requests)
	local total = 0
	for _, thread in ipairs(threads) do
		total = total + thread:get("non2xx")
	end
	io.write(string.format("non-2xx responses: %d\n", total))
end
`

// wrkReport is what the test reads of wrk's output.
type wrkReport struct {
	requests     int
	socketErrors int
	non2xx       int
}

var (
	wrkRequestsLine     = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkSocketErrorsLine = regexp.MustCompile(`(?m)^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xxLine       = regexp.MustCompile(`(?m)^non-2xx responses: (\d+)$`)
)

// parseWrkReport reads the request count, the socket errors (wrk prints that line only
// when there were some) and wrkScript's non-2xx count; a missing count fails the test.
func parseWrkReport(t *testing.T, out string) wrkReport {
	t.Helper()
	var r wrkReport
	requests := wrkRequestsLine.FindStringSubmatch(out)
	require.NotNil(t, requests, "wrk printed no request count:\n%s", out)
	r.requests = atoi(t, requests[1])
	if socket := wrkSocketErrorsLine.FindStringSubmatch(out); socket != nil {
		for _, n := range socket[1:] {
			r.socketErrors += atoi(t, n)
		}
	}
	non2xx := wrkNon2xxLine.FindStringSubmatch(out)
	require.NotNil(t, non2xx, "wrk did not run the script's done():\n%s", out)
	r.non2xx = atoi(t, non2xx[1])
	return r
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestParseWrkReportReadsEveryCount(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want wrkReport
	}{
		{
			name: "clean run",
			out: "Running 1s test @ http://127.0.0.1:1/plaintext\n  1 threads and 16 connections\n" +
				"  60800 requests in 1.06s, 7.48MB read\nRequests/sec:  57474.69\nnon-2xx responses: 0\n",
			want: wrkReport{requests: 60800},
		},
		{
			name: "socket errors and error statuses",
			out: "  120 requests in 1.00s, 10KB read\n  Socket errors: connect 1, read 2, write 3, timeout 4\n" +
				"  Non-2xx or 3xx responses: 7\nRequests/sec:  120.00\nnon-2xx responses: 9\n",
			want: wrkReport{requests: 120, socketErrors: 10, non2xx: 9},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseWrkReport(t, tt.out))
		})
	}
}

// TestWrkGetsOnly2xxAndNoSocketErrors runs the real wrk against httpd for a second per case.
// The unknown path proves that the non-2xx count sees error statuses.
func TestWrkGetsOnly2xxAndNoSocketErrors(t *testing.T) {
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk is not on PATH (tools/test.sh installs it: apt-get install wrk)")
	}
	script := filepath.Join(t.TempDir(), "check.lua")
	require.NoError(t, os.WriteFile(script, []byte(wrkScript), 0o600))
	addr := startServer(t)
	tests := []struct {
		name      string
		path      string
		depth     int
		allNon2xx bool
	}{
		{name: "plaintext, one request per write", path: "/plaintext", depth: 1},
		{name: "plaintext, 16 requests per write", path: "/plaintext", depth: 16},
		{name: "json, 16 requests per write", path: "/json", depth: 16},
		{name: "unknown path is counted as non-2xx", path: "/nope", depth: 1, allNon2xx: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, wrk, "-t1", "-c16", "-d1s", "--timeout", "5s",
				"-s", script, "http://"+addr+tt.path, "--", strconv.Itoa(tt.depth)).CombinedOutput()
			require.NoError(t, err, "%s", out)
			r := parseWrkReport(t, string(out))

			assert.Positive(t, r.requests, "%s", out)
			assert.Zero(t, r.socketErrors, "%s", out)
			if tt.allNon2xx {
				assert.Equal(t, r.requests, r.non2xx, "%s", out)
			} else {
				assert.Zero(t, r.non2xx, "%s", out)
			}
		})
	}
}
