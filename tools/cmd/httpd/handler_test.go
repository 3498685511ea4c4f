package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/api/embedded"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

func newTestHTTPServer(t testing.TB, limits httpwire.Limits) *httpServer {
	t.Helper()
	hs, err := newHTTPServer(limits, true)
	require.NoError(t, err)
	return hs
}

// response is one response read back from a connection's output.
type response struct {
	status int
	body   string
	close  bool
}

// readResponses parses every response in out.
func readResponses(t *testing.T, out []byte) []response {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(out))
	var responses []response
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return responses
		}
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		responses = append(responses, response{status: resp.StatusCode, body: string(body), close: resp.Close})
	}
}

func TestHandlerAnswersPipelinedRequestsInOrder(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	require.NoError(t, feed(fc, []byte(
		"GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"+
			"POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\none"+
			"GET /json HTTP/1.1\r\nHost: h\r\n\r\n"+
			"GET /missing HTTP/1.1\r\nHost: h\r\n\r\n"+
			"POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\ntwo")))
	assert.Equal(t, []response{
		{status: 200, body: "Hello, World!"},
		{status: 200, body: "one"},
		{status: 200, body: `{"message":"Hello, World!"}`},
		{status: 404, body: "404 Not Found\n"},
		{status: 200, body: "two"},
	}, readResponses(t, fc.Outbound()))
	assert.False(t, isClosed(fc))
}

func TestHandlerAnswersAReadOfPipelinedRequestsWithOneWrite(t *testing.T) {
	tests := []struct {
		name       string
		read       string
		wantWrites int
		wantBodies []string
	}{
		{
			name:       "16 requests",
			read:       strings.Repeat("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n", 16),
			wantWrites: 1,
			wantBodies: slices.Repeat([]string{"Hello, World!"}, 16),
		},
		{
			name:       "more requests than one batch holds",
			read:       strings.Repeat("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n", maxBatchRequests+3),
			wantWrites: 2,
			wantBodies: slices.Repeat([]string{"Hello, World!"}, maxBatchRequests+3),
		},
		{
			name: "responses past the flush size",
			read: strings.Repeat("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n"+
				strings.Repeat("e", 5000), 3),
			wantWrites: 2,
			wantBodies: slices.Repeat([]string{strings.Repeat("e", 5000)}, 3),
		},
		{
			name:       "whole requests and the start of the next",
			read:       strings.Repeat("GET /json HTTP/1.1\r\nHost: h\r\n\r\n", 2) + "GET /json HTTP/1.1\r\nHo",
			wantWrites: 1,
			wantBodies: slices.Repeat([]string{`{"message":"Hello, World!"}`}, 2),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newTestHTTPServer(t, httpwire.DefaultLimits())
			fc := newFakeConn(hs)
			require.NoError(t, feed(fc, []byte(tt.read)))
			var bodies []string
			for _, r := range readResponses(t, fc.Outbound()) {
				require.Equal(t, 200, r.status)
				bodies = append(bodies, r.body)
			}
			assert.Equal(t, tt.wantBodies, bodies)
			assert.Equal(t, tt.wantWrites, fc.Writes())
			assert.False(t, isClosed(fc))
		})
	}
}

func TestHandlerAnswersWholeRequestsBeforeARejectedOne(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	require.NoError(t, feed(fc, []byte(
		"GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"+
			"GET /json HTTP/1.1\r\nHost: h\r\n\r\n"+
			"GET / HTTP/2.0\r\nHost: h\r\n\r\n"+
			"GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n")))
	assert.Equal(t, []response{
		{status: 200, body: "Hello, World!"},
		{status: 200, body: `{"message":"Hello, World!"}`},
		{status: 400, body: "Bad Request\n", close: true},
	}, readResponses(t, fc.Outbound()))
	assert.True(t, isClosed(fc))
}

func TestHandlerSendsContinueAfterTheResponsesPipelinedBeforeIt(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	require.NoError(t, feed(fc, []byte(
		"GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"+
			"POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")))
	first := readResponses(t, fc.Outbound()[:len(fc.Outbound())-len(httpwire.ContinueResponse)])
	assert.Equal(t, []response{{status: 200, body: "Hello, World!"}}, first)
	assert.True(t, strings.HasSuffix(string(fc.Outbound()), httpwire.ContinueResponse), "100 Continue comes last")

	fc.TakeOutbound()
	require.NoError(t, feed(fc, []byte("ok")))
	assert.Equal(t, []response{{status: 200, body: "ok"}}, readResponses(t, fc.Outbound()))
}

func TestHandlerWaitsForTheRestOfARequestSplitAcrossReads(t *testing.T) {
	request := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	for i := range len(request) {
		require.Empty(t, fc.Outbound(), "no answer before byte %d", i)
		require.NoError(t, feed(fc, []byte{request[i]}))
	}
	assert.Equal(t, []response{{status: 200, body: "hello"}}, readResponses(t, fc.Outbound()))
}

func TestHandlerSendsContinueOnceThenTheResponse(t *testing.T) {
	head := "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	require.NoError(t, feed(fc, []byte(head)))
	assert.Equal(t, httpwire.ContinueResponse, string(fc.Outbound()))
	require.NoError(t, feed(fc, []byte("ab")))
	assert.Equal(t, httpwire.ContinueResponse, string(fc.Outbound()), "one 100 Continue per request")
	require.NoError(t, feed(fc, []byte("cd")))
	assert.Equal(t, []response{{status: 200, body: "abcd"}}, readResponses(t, fc.Outbound()[len(httpwire.ContinueResponse):]))

	fc.TakeOutbound()
	require.NoError(t, feed(fc, []byte(head)))
	assert.Equal(t, httpwire.ContinueResponse, string(fc.Outbound()), "the next request gets its own")
}

func TestHandlerAnswersRejectedRequestsAndCloses(t *testing.T) {
	const next = "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"
	tests := []struct {
		name       string
		request    string
		wantStatus int
	}{
		{name: "malformed request line", request: "GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n", wantStatus: 400},
		{name: "bare LF", request: "GET / HTTP/1.1\nHost: h\n\n", wantStatus: 400},
		{name: "unsupported version", request: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", wantStatus: 400},
		{name: "conflicting Content-Length", request: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", wantStatus: 400},
		{name: "head over the limit", request: "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + strings.Repeat("p", 300) + "\r\n\r\n", wantStatus: 431},
		{name: "too many fields", request: "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", wantStatus: 431},
		{name: "body over the limit", request: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n", wantStatus: 413},
		{name: "chunked body", request: "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", wantStatus: 501},
	}
	limits := httpwire.Limits{MaxHeaderBytes: 256, MaxHeaders: 4, MaxBodyBytes: 64}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newTestHTTPServer(t, limits)
			fc := newFakeConn(hs)
			// A request pipelined after the rejected one is never answered: the stream
			// cannot be trusted past a request the parser rejected.
			require.NoError(t, feed(fc, []byte(tt.request+next)))
			responses := readResponses(t, fc.Outbound())
			require.Len(t, responses, 1)
			assert.Equal(t, tt.wantStatus, responses[0].status)
			assert.True(t, responses[0].close, "the response says Connection: close")
			assert.True(t, isClosed(fc), "React asked to close")
		})
	}
}

func TestHandlerClosesAfterARequestThatAsksForIt(t *testing.T) {
	tests := []struct {
		name    string
		request string
	}{
		{name: "Connection: close", request: "GET /json HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"},
		{name: "HTTP/1.0", request: "GET /json HTTP/1.0\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := newTestHTTPServer(t, httpwire.DefaultLimits())
			fc := newFakeConn(hs)
			require.NoError(t, feed(fc, []byte(tt.request+"GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n")))
			responses := readResponses(t, fc.Outbound())
			require.Len(t, responses, 1, "nothing after the closing request is answered")
			assert.True(t, responses[0].close)
			assert.True(t, isClosed(fc))
		})
	}
}

func TestHandlerKeepsAnHTTP10ConnectionThatAsksForKeepAlive(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	request := "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
	require.NoError(t, feed(fc, []byte(request+request)))
	assert.Len(t, readResponses(t, fc.Outbound()), 2)
	assert.Contains(t, string(fc.Outbound()), "Connection: keep-alive\r\n")
	assert.False(t, isClosed(fc))
}

func TestHandlerIgnoresAWake(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	assert.Equal(t, api.None, hs.React(nil, fc))
	assert.Empty(t, fc.Outbound())
}

func TestDecodeFailsOnAConnectionWithoutState(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := embedded.New(nil) // never opened: OnOpened did not attach the connection's state
	fc.Buffer([]byte("GET / HTTP/1.1\r\n"))
	_, err := hs.codec.Decode(fc)
	assert.ErrorIs(t, err, errNoConnState)
}

func TestHandlerDropsAScratchBufferGrownByALargeEcho(t *testing.T) {
	hs := newTestHTTPServer(t, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	body := strings.Repeat("b", 2*scratchKeepBytes)
	require.NoError(t, feed(fc, []byte("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 32768\r\n\r\n"+body)))
	assert.Equal(t, []response{{status: 200, body: body}}, readResponses(t, fc.Outbound()))
	assert.Nil(t, fc.Context().(*connState).out)
}

func TestNewHTTPServerRejectsInvalidLimits(t *testing.T) {
	_, err := newHTTPServer(httpwire.Limits{MaxHeaderBytes: 1, MaxHeaders: 1}, true)
	assert.ErrorIs(t, err, httpwire.ErrInvalidLimits)
}
