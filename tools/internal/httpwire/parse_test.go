package httpwire

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseReadsValidRequests(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  parsed
	}{
		{
			name:  "wrk's plaintext request",
			input: "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
			want: parsed{Method: "GET", Target: "/plaintext", ProtoMinor: 1,
				Headers: []string{"Host: 127.0.0.1:8080"}, KeepAlive: true},
		},
		{
			name:  "POST with a body",
			input: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
			want: parsed{Method: "POST", Target: "/echo", ProtoMinor: 1,
				Headers: []string{"Host: h", "Content-Length: 5"}, ContentLength: 5, Body: "hello", KeepAlive: true},
		},
		{
			name:  "header names in any case",
			input: "POST /echo HTTP/1.1\r\nhOsT: h\r\ncOnTeNt-LeNgTh: 2\r\nCONNECTION: CLOSE\r\n\r\nhi",
			want: parsed{Method: "POST", Target: "/echo", ProtoMinor: 1,
				Headers: []string{"hOsT: h", "cOnTeNt-LeNgTh: 2", "CONNECTION: CLOSE"}, ContentLength: 2, Body: "hi"},
		},
		{
			name:  "values lose surrounding spaces and tabs, keep inner ones",
			input: "GET / HTTP/1.1\r\nHost:h\r\nX-A: \t a  b \t\r\nX-Empty:\r\nX-Spaces:   \r\n\r\n",
			want: parsed{Method: "GET", Target: "/", ProtoMinor: 1,
				Headers: []string{"Host: h", "X-A: a  b", "X-Empty: ", "X-Spaces: "}, KeepAlive: true},
		},
		{
			name:  "obs-text in a value",
			input: "GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf\xc3\xa9\r\n\r\n",
			want: parsed{Method: "GET", Target: "/", ProtoMinor: 1,
				Headers: []string{"Host: h", "X-Name: caf\xc3\xa9"}, KeepAlive: true},
		},
		{
			name:  "leading empty lines are skipped",
			input: "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
			want:  parsed{Method: "GET", Target: "/", ProtoMinor: 1, Headers: []string{"Host: h"}, KeepAlive: true},
		},
		{
			name:  "HTTP/1.0 without Host",
			input: "GET /json HTTP/1.0\r\n\r\n",
			want:  parsed{Method: "GET", Target: "/json", ProtoMinor: 0},
		},
		{
			name:  "repeated identical Content-Length, as a list and as fields",
			input: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3 , 3\r\nContent-Length: 3\r\n\r\nabc",
			want: parsed{Method: "POST", Target: "/echo", ProtoMinor: 1,
				Headers: []string{"Host: h", "Content-Length: 3 , 3", "Content-Length: 3"}, ContentLength: 3, Body: "abc", KeepAlive: true},
		},
		{
			name:  "zero Content-Length",
			input: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 000\r\n\r\n",
			want: parsed{Method: "POST", Target: "/echo", ProtoMinor: 1,
				Headers: []string{"Host: h", "Content-Length: 000"}, KeepAlive: true},
		},
		{
			name:  "Expect: 100-continue",
			input: "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
			want: parsed{Method: "POST", Target: "/echo", ProtoMinor: 1,
				Headers: []string{"Host: h", "Expect: 100-Continue", "Content-Length: 1"}, ContentLength: 1, Body: "x",
				KeepAlive: true, ExpectContinue: true},
		},
		{
			name:  "unusual but valid method and target",
			input: "M-SEARCH* *?a=b&c=%20#f HTTP/1.1\r\nHost: h\r\n\r\n",
			want: parsed{Method: "M-SEARCH*", Target: "*?a=b&c=%20#f", ProtoMinor: 1,
				Headers: []string{"Host: h"}, KeepAlive: true},
		},
	}
	p := newTestParser(t, DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			n, err := p.Parse([]byte(tt.input), &req)
			require.NoError(t, err)
			assert.Equal(t, len(tt.input), n, "consumed")
			assert.Equal(t, tt.want, snapshot(&req))
			assert.Equal(t, len(tt.input)-len(tt.want.Body), req.HeadLength)
		})
	}
}

func TestParseRejectsMalformedRequests(t *testing.T) {
	tests := []struct {
		name       string
		input      string
		wantErr    error
		wantStatus int
	}{
		{name: "no method", input: " / HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "two spaces after the method", input: "GET  / HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "control character in the method", input: "G\x00T / HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "space in the target", input: "GET /a b HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "non-ASCII target", input: "GET /caf\xc3\xa9 HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "no version", input: "GET /\r\n\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "lower-case version", input: "GET / http/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "version with letters", input: "GET / HTTP/1.x\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "trailing space after the version", input: "GET / HTTP/1.1 \r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: h\r\n\r\n", wantErr: ErrUnsupportedVersion, wantStatus: 400},
		{name: "HTTP/1.2", input: "GET / HTTP/1.2\r\nHost: h\r\n\r\n", wantErr: ErrUnsupportedVersion, wantStatus: 400},
		{name: "HTTP/0.9", input: "GET / HTTP/0.9\r\n\r\n", wantErr: ErrUnsupportedVersion, wantStatus: 400},
		{name: "bare LF after the request line", input: "GET / HTTP/1.1\nHost: h\n\n", wantErr: ErrBareLF, wantStatus: 400},
		{name: "bare LF after a field", input: "GET / HTTP/1.1\r\nHost: h\n\r\n", wantErr: ErrBareLF, wantStatus: 400},
		{name: "bare LF ending the head", input: "GET / HTTP/1.1\r\nHost: h\r\n\n", wantErr: ErrBareLF, wantStatus: 400},
		{name: "bare LF before the request line", input: "\nGET / HTTP/1.1\r\n", wantErr: ErrBareLF, wantStatus: 400},
		{name: "bare CR in a value", input: "GET / HTTP/1.1\r\nHost: h\rX\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "bare CR ending the head", input: "GET / HTTP/1.1\r\nHost: h\r\n\rX", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "bare CR before the request line", input: "\rGET / HTTP/1.1\r\n", wantErr: ErrMalformedRequestLine, wantStatus: 400},
		{name: "field without a colon", input: "GET / HTTP/1.1\r\nHost h\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "space before the colon", input: "GET / HTTP/1.1\r\nHost : h\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "empty field name", input: "GET / HTTP/1.1\r\n: h\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "folded line", input: "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "whitespace before the first field", input: "GET / HTTP/1.1\r\n Host: h\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "NUL in a value", input: "GET / HTTP/1.1\r\nHost: h\x00\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "DEL in a value", input: "GET / HTTP/1.1\r\nHost: h\x7f\r\n\r\n", wantErr: ErrMalformedHeader, wantStatus: 400},
		{name: "negative Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", wantErr: ErrInvalidContentLength, wantStatus: 400},
		{name: "signed Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\nx", wantErr: ErrInvalidContentLength, wantStatus: 400},
		{name: "hex Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", wantErr: ErrInvalidContentLength, wantStatus: 400},
		{name: "empty Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", wantErr: ErrInvalidContentLength, wantStatus: 400},
		{name: "Content-Length list with an empty element", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1,\r\n\r\nx", wantErr: ErrInvalidContentLength, wantStatus: 400},
		{name: "conflicting Content-Length in a list", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\nxx", wantErr: ErrConflictingContentLength, wantStatus: 400},
		{name: "conflicting Content-Length fields", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx", wantErr: ErrConflictingContentLength, wantStatus: 400},
		{name: "HTTP/1.1 without Host", input: "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", wantErr: ErrMissingHost, wantStatus: 400},
		{name: "two Host fields", input: "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", wantErr: ErrDuplicateHost, wantStatus: 400},
		{name: "two Host fields in HTTP/1.0", input: "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", wantErr: ErrDuplicateHost, wantStatus: 400},
		{name: "chunked body", input: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", wantErr: ErrTransferEncoding, wantStatus: 501},
		{name: "Transfer-Encoding next to Content-Length", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\ntransfer-encoding: identity\r\n\r\nabc", wantErr: ErrTransferEncoding, wantStatus: 501},
	}
	p := newTestParser(t, DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			n, err := p.Parse([]byte(tt.input), &req)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Zero(t, n)
			assert.Equal(t, tt.wantStatus, StatusOf(err))
		})
	}
}

func TestParseRejectsGarbageBeforeTheLineEnds(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		wantErr error
	}{
		{name: "binary in the method", input: "\x16\x03\x01\x02\x00", wantErr: ErrMalformedRequestLine},
		{name: "TLS record instead of a request", input: "\x16\x03", wantErr: ErrMalformedRequestLine},
		{name: "bad start of the version", input: "GET / HTTX", wantErr: ErrMalformedRequestLine},
		{name: "control character in a field name", input: "GET / HTTP/1.1\r\nHo\x01", wantErr: ErrMalformedHeader},
		{name: "control character in a value", input: "GET / HTTP/1.1\r\nHost: \x01", wantErr: ErrMalformedHeader},
	}
	p := newTestParser(t, DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			_, err := p.Parse([]byte(tt.input), &req)
			assert.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestParseReportsEveryProperPrefixOfAValidRequestAsIncomplete(t *testing.T) {
	inputs := []string{
		"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
		"\r\nPOST /echo?x=1 HTTP/1.0\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\nhello world",
	}
	p := newTestParser(t, DefaultLimits())
	for _, input := range inputs {
		for end := range len(input) {
			var req Request
			n, err := p.Parse([]byte(input[:end]), &req)
			require.ErrorIs(t, err, ErrIncomplete, "prefix %q", input[:end])
			require.Zero(t, n)
		}
	}
}

func TestParseLeavesTheNextRequestUntouched(t *testing.T) {
	first := "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
	second := "GET /json HTTP/1.1\r\nHost: h\r\n\r\n"
	p := newTestParser(t, DefaultLimits())
	var req Request
	n, err := p.Parse([]byte(first+second), &req)
	require.NoError(t, err)
	assert.Equal(t, len(first), n)
	assert.Equal(t, "abc", string(req.Body))
	assert.Equal(t, 3, cap(req.Body), "the body's capacity ends with it, so appending cannot overwrite the next request")
}

func TestParseReportsTheHeadOfARequestWaitingForItsBody(t *testing.T) {
	head := "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"
	p := newTestParser(t, DefaultLimits())
	var req Request
	_, err := p.Parse([]byte(head+"12345"), &req)
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Equal(t, len(head), req.HeadLength)
	assert.True(t, req.ExpectContinue)
	assert.Equal(t, 10, req.ContentLength)
	assert.Nil(t, req.Body)

	_, err = p.Parse([]byte(head[:len(head)-1]), &req)
	require.ErrorIs(t, err, ErrIncomplete)
	assert.Zero(t, req.HeadLength, "no head is reported before its blank line has arrived")
	assert.False(t, req.ExpectContinue)
}

func TestParseReusesTheRequestWithoutKeepingOldFields(t *testing.T) {
	p := newTestParser(t, DefaultLimits())
	var req Request
	_, err := p.Parse([]byte("POST /echo HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nContent-Length: 1\r\n\r\nx"), &req)
	require.NoError(t, err)
	_, err = p.Parse([]byte("GET /json HTTP/1.1\r\nHost: h\r\n\r\n"), &req)
	require.NoError(t, err)
	assert.Equal(t, parsed{Method: "GET", Target: "/json", ProtoMinor: 1, Headers: []string{"Host: h"}, KeepAlive: true},
		snapshot(&req))
}

func TestRequestPathDropsTheQuery(t *testing.T) {
	tests := []struct {
		target string
		want   string
	}{
		{target: "/plaintext", want: "/plaintext"},
		{target: "/json?pretty=1", want: "/json"},
		{target: "/?", want: "/"},
		{target: "*", want: "*"},
	}
	for _, tt := range tests {
		req := Request{Target: []byte(tt.target)}
		assert.Equal(t, tt.want, string(req.Path()), tt.target)
	}
}

func TestParseAcceptsLongMethods(t *testing.T) {
	method := strings.Repeat("M", 100)
	p := newTestParser(t, DefaultLimits())
	var req Request
	_, err := p.Parse([]byte(method+" / HTTP/1.1\r\nHost: h\r\n\r\n"), &req)
	require.NoError(t, err)
	assert.Equal(t, method, string(req.Method))
}
