package httpwire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pipelinedStream is several requests sent back to back, as a pipelining client does.
var pipelinedStream = []byte("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n" +
	"POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\nhello\r\nworld" +
	"\r\nGET /json?x=1 HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n" +
	"GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" +
	"POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

func TestPipelinedRequestsAreAnsweredInOrder(t *testing.T) {
	p := newTestParser(t, DefaultLimits())
	requests, consumed := parseStream(t, p, pipelinedStream)
	assert.Equal(t, len(pipelinedStream), consumed)
	want := []parsed{
		{Method: "GET", Target: "/plaintext", ProtoMinor: 1, Headers: []string{"Host: h"}, KeepAlive: true},
		{Method: "POST", Target: "/echo", ProtoMinor: 1, Headers: []string{"Host: h", "Content-Length: 12"},
			ContentLength: 12, Body: "hello\r\nworld", KeepAlive: true},
		{Method: "GET", Target: "/json?x=1", ProtoMinor: 1, Headers: []string{"Host: h", "Accept: */*"}, KeepAlive: true},
		{Method: "GET", Target: "/plaintext", ProtoMinor: 0, Headers: []string{"Connection: keep-alive"}, KeepAlive: true},
		{Method: "POST", Target: "/echo", ProtoMinor: 1, Headers: []string{"Host: h", "Content-Length: 0", "Connection: close"}},
	}
	assert.Equal(t, want, requests)
}

func TestPipelinedRequestsSplitAtEveryByteBoundaryParseTheSame(t *testing.T) {
	p := newTestParser(t, DefaultLimits())
	want, _ := parseStream(t, p, pipelinedStream)
	for split := range len(pipelinedStream) + 1 {
		// The first read brings pipelinedStream[:split]; what it leaves unconsumed is kept
		// and the rest of the stream appended to it, as a server's inbound buffer does.
		got, consumed := parseStream(t, p, pipelinedStream[:split])
		buffered := append([]byte(nil), pipelinedStream[consumed:]...)
		more, rest := parseStream(t, p, buffered)
		require.Equal(t, len(buffered), rest, "split at %d", split)
		require.Equal(t, want, append(got, more...), "split at %d", split)
	}
}

func TestPipelinedRequestsArrivingOneByteAtATimeParseTheSame(t *testing.T) {
	p := newTestParser(t, DefaultLimits())
	want, _ := parseStream(t, p, pipelinedStream)
	var got []parsed
	var buffered []byte
	for _, b := range pipelinedStream {
		buffered = append(buffered, b)
		requests, consumed := parseStream(t, p, buffered)
		got = append(got, requests...)
		buffered = append(buffered[:0], buffered[consumed:]...)
	}
	assert.Empty(t, buffered)
	assert.Equal(t, want, got)
}
