package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// ioDeadline bounds every blocking read and write of the raw-socket tests, so a server that
// never answers fails the test instead of hanging it.
const ioDeadline = 10 * time.Second

// startServer serves httpd on a free loopback port with two event loops and returns its
// address; the server is closed when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	var srv api.Server
	hs.onInit = func(s api.Server) { srv = s }
	cfg := config{loops: 2}
	opts := append(serveOptions(cfg, hs), server.WithBlock(false))
	require.NoError(t, server.Serve(hs, "tcp://127.0.0.1:0", opts...))
	require.NotNil(t, srv.Close, "OnInitComplete ran before Serve returned")
	t.Cleanup(srv.Close)
	return srv.Addr.String()
}

// newClient returns a net/http client with its own connection pool.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	transport := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}
	t.Cleanup(transport.CloseIdleConnections)
	return &http.Client{Transport: transport, Timeout: ioDeadline}
}

func TestServesEachRouteToNetHTTPClient(t *testing.T) {
	largeBody := make([]byte, 256<<10)
	_, err := rand.Read(largeBody)
	require.NoError(t, err)
	tests := []struct {
		name            string
		method, path    string
		body            []byte
		wantStatus      int
		wantContentType string
		wantBody        []byte
	}{
		{name: "plaintext", method: "GET", path: "/plaintext",
			wantStatus: 200, wantContentType: "text/plain", wantBody: []byte("Hello, World!")},
		{name: "json", method: "GET", path: "/json",
			wantStatus: 200, wantContentType: "application/json", wantBody: []byte(`{"message":"Hello, World!"}`)},
		{name: "echo with a small body", method: "POST", path: "/echo", body: []byte("ping"),
			wantStatus: 200, wantContentType: "application/octet-stream", wantBody: []byte("ping")},
		{name: "echo with a body many reads long", method: "POST", path: "/echo", body: largeBody,
			wantStatus: 200, wantContentType: "application/octet-stream", wantBody: largeBody},
		{name: "unknown path", method: "GET", path: "/nope",
			wantStatus: 404, wantContentType: "text/plain", wantBody: []byte("404 Not Found\n")},
	}
	addr := startServer(t)
	client := newClient(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://"+addr+tt.path, bytes.NewReader(tt.body))
			require.NoError(t, err)
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer func() { require.NoError(t, resp.Body.Close()) }()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantContentType, resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantBody, body)
			assert.Equal(t, "gnet", resp.Header.Get("Server"))
			_, err = http.ParseTime(resp.Header.Get("Date"))
			assert.NoError(t, err, "Date is an HTTP date")
		})
	}
}

func TestJSONRouteDecodesAsTheMessageObject(t *testing.T) {
	addr := startServer(t)
	resp, err := newClient(t).Get("http://" + addr + "/json")
	require.NoError(t, err)
	defer func() { require.NoError(t, resp.Body.Close()) }()
	var decoded map[string]string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&decoded))
	assert.Equal(t, map[string]string{"message": "Hello, World!"}, decoded)
}

func TestKeepAliveServesManyRequestsOnOneConnection(t *testing.T) {
	const requests = 50
	addr := startServer(t)
	client := newClient(t)
	reused := 0
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if info.Reused {
			reused++
		}
	}}
	for i := range requests {
		body := "request " + strconv.Itoa(i)
		req, err := http.NewRequest("POST", "http://"+addr+"/echo", strings.NewReader(body))
		require.NoError(t, err)
		resp, err := client.Do(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, body, string(got))
		require.False(t, resp.Close)
	}
	assert.Equal(t, requests-1, reused, "every request after the first reuses the connection")
}

// dialRaw opens a plain TCP connection to addr with ioDeadline on all of its I/O.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, ioDeadline)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() }) // the test is over; a second close is harmless
	require.NoError(t, conn.SetDeadline(time.Now().Add(ioDeadline)))
	return conn
}

// rawResponse is what the tests check of a response besides its body.
type rawResponse struct {
	StatusCode int
	Header     http.Header
	Close      bool
}

// readRawResponse reads one response and its whole body from r, and closes the body.
func readRawResponse(t *testing.T, r *bufio.Reader) (rawResponse, string) {
	t.Helper()
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return rawResponse{StatusCode: resp.StatusCode, Header: resp.Header, Close: resp.Close}, string(body)
}

// requireClosedByServer reads from r until the server's end of file.
func requireClosedByServer(t *testing.T, r *bufio.Reader) {
	t.Helper()
	rest, err := io.ReadAll(r)
	require.NoError(t, err, "the server closes with a FIN, after the response")
	require.Empty(t, rest)
}

func TestPipelinedRequestsInOneWriteAreAnsweredInOrder(t *testing.T) {
	const requests = 32
	addr := startServer(t)
	conn := dialRaw(t, addr)
	var batch strings.Builder
	want := make([]string, requests)
	for i := range requests {
		switch i % 3 {
		case 0:
			batch.WriteString("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n")
			want[i] = "Hello, World!"
		case 1:
			batch.WriteString("GET /json HTTP/1.1\r\nHost: h\r\n\r\n")
			want[i] = `{"message":"Hello, World!"}`
		default:
			body := "echo #" + strconv.Itoa(i)
			fmt.Fprintf(&batch, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			want[i] = body
		}
	}
	_, err := conn.Write([]byte(batch.String()))
	require.NoError(t, err)

	r := bufio.NewReader(conn)
	for i := range requests {
		resp, body := readRawResponse(t, r)
		require.Equal(t, 200, resp.StatusCode, "response %d", i)
		require.Equal(t, want[i], body, "response %d", i)
	}
}

func TestRejectedRequestsGetTheirStatusAndTheConnectionCloses(t *testing.T) {
	tests := []struct {
		name       string
		request    string
		wantStatus int
	}{
		{name: "malformed request line", request: "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", wantStatus: 400},
		{name: "malformed header line", request: "GET / HTTP/1.1\r\nHost h\r\n\r\n", wantStatus: 400},
		{name: "bare LF", request: "GET / HTTP/1.1\nHost: h\n\n", wantStatus: 400},
		{name: "unsupported version", request: "GET / HTTP/3.0\r\nHost: h\r\n\r\n", wantStatus: 400},
		{name: "oversized header", request: "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " +
			strings.Repeat("p", httpwire.DefaultMaxHeaderBytes) + "\r\n\r\n", wantStatus: 431},
		{name: "body over the limit", request: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " +
			strconv.Itoa(httpwire.DefaultMaxBodyBytes+1) + "\r\n\r\n", wantStatus: 413},
		{name: "Transfer-Encoding", request: "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", wantStatus: 501},
	}
	addr := startServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dialRaw(t, addr)
			_, err := conn.Write([]byte(tt.request))
			require.NoError(t, err)
			r := bufio.NewReader(conn)
			resp, _ := readRawResponse(t, r)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.True(t, resp.Close, "Connection: close")
			requireClosedByServer(t, r)
		})
	}
}

func TestConnectionCloseIsHonoured(t *testing.T) {
	tests := []struct {
		name    string
		request string
	}{
		{name: "HTTP/1.1 asking to close", request: "GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"},
		{name: "HTTP/1.0 by default", request: "GET /plaintext HTTP/1.0\r\n\r\n"},
	}
	addr := startServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := dialRaw(t, addr)
			_, err := conn.Write([]byte(tt.request))
			require.NoError(t, err)
			r := bufio.NewReader(conn)
			resp, body := readRawResponse(t, r)
			assert.Equal(t, "Hello, World!", body)
			assert.True(t, resp.Close)
			requireClosedByServer(t, r)
		})
	}
}

func TestHTTP10KeepAliveKeepsTheConnection(t *testing.T) {
	addr := startServer(t)
	conn := dialRaw(t, addr)
	r := bufio.NewReader(conn)
	for range 3 {
		_, err := conn.Write([]byte("GET /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
		require.NoError(t, err)
		resp, body := readRawResponse(t, r)
		assert.Equal(t, `{"message":"Hello, World!"}`, body)
		assert.Equal(t, "keep-alive", resp.Header.Get("Connection"))
		assert.False(t, resp.Close)
	}
}

func TestCurlGetsEachRoute(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not on PATH")
	}
	addr := startServer(t)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantBody string
	}{
		{name: "plaintext", args: []string{"http://" + addr + "/plaintext"}, wantBody: "Hello, World!"},
		{name: "json", args: []string{"http://" + addr + "/json"}, wantBody: `{"message":"Hello, World!"}`},
		{name: "echo", args: []string{"--data-binary", "@-", "http://" + addr + "/echo"},
			stdin: "from curl", wantBody: "from curl"},
		{name: "echo after 100 Continue", args: []string{"--data-binary", "@-", "-H", "Expect: 100-continue",
			"--expect100-timeout", "30", "http://" + addr + "/echo"}, stdin: "waited", wantBody: "waited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--silent", "--show-error", "--fail", "--max-time", "10"}, tt.args...)
			cmd := exec.Command(curl, args...)
			cmd.Stdin = strings.NewReader(tt.stdin)
			out, err := cmd.Output()
			require.NoError(t, err, "curl %s", strings.Join(args, " "))
			assert.Equal(t, tt.wantBody, string(out))
		})
	}
}
