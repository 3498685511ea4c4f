package httpwire

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendResponseHeadWritesAHeadNetHTTPReads(t *testing.T) {
	date := []byte("Sun, 06 Nov 1994 08:49:37 GMT")
	tests := []struct {
		name           string
		head           ResponseHead
		wantStatusLine string
		wantFields     http.Header
		wantClose      bool
	}{
		{
			name:           "200 with every field",
			head:           ResponseHead{Status: StatusOK, Server: "gnet", Date: date, ContentType: "text/plain", ContentLength: 0},
			wantStatusLine: "200 OK",
			wantFields: http.Header{"Server": {"gnet"}, "Date": {string(date)},
				"Content-Type": {"text/plain"}, "Content-Length": {"0"}},
		},
		{
			name:           "404 closing the connection",
			head:           ResponseHead{Status: StatusNotFound, Connection: ConnectionClose},
			wantStatusLine: "404 Not Found",
			// net/http turns "Connection: close" into resp.Close and drops the field.
			wantFields: http.Header{"Content-Length": {"0"}},
			wantClose:  true,
		},
		{
			name:           "431 keeping an HTTP/1.0 connection",
			head:           ResponseHead{Status: StatusRequestHeaderFieldsTooLarge, Connection: ConnectionKeepAlive},
			wantStatusLine: "431 Request Header Fields Too Large",
			wantFields:     http.Header{"Content-Length": {"0"}, "Connection": {"keep-alive"}},
		},
		{
			name:           "a status without a known reason",
			head:           ResponseHead{Status: 299},
			wantStatusLine: "299 Status",
			wantFields:     http.Header{"Content-Length": {"0"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := AppendResponseHead([]byte("kept"), tt.head)
			require.True(t, bytes.HasPrefix(out, []byte("kept")), "appends to dst")
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out[len("kept"):])), nil)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.wantStatusLine, resp.Status)
			assert.Equal(t, "HTTP/1.1", resp.Proto)
			assert.Equal(t, tt.wantFields, resp.Header)
			assert.Equal(t, tt.wantClose, resp.Close)
			assert.True(t, bytes.HasSuffix(out, []byte("\r\n\r\n")))
		})
	}
}

func TestStatusOfMapsEachRejectionToItsStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{err: nil, want: 0},
		{err: ErrIncomplete, want: 0},
		{err: ErrMalformedRequestLine, want: 400},
		{err: ErrUnsupportedVersion, want: 400},
		{err: ErrMalformedHeader, want: 400},
		{err: ErrBareLF, want: 400},
		{err: ErrInvalidContentLength, want: 400},
		{err: ErrConflictingContentLength, want: 400},
		{err: ErrMissingHost, want: 400},
		{err: ErrDuplicateHost, want: 400},
		{err: ErrHeaderTooLarge, want: 431},
		{err: ErrTooManyHeaders, want: 431},
		{err: ErrBodyTooLarge, want: 413},
		{err: ErrTransferEncoding, want: 501},
		{err: errors.Join(errors.New("context"), ErrBodyTooLarge), want: 413},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, StatusOf(tt.err), "%v", tt.err)
	}
}

func TestContinueResponseIsAnInterimResponse(t *testing.T) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader([]byte(ContinueResponse))), nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, StatusContinue, resp.StatusCode)
}
