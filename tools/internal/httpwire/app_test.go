package httpwire

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestApp() *App {
	return NewApp("gnet", NewDateCache(time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)))
}

func TestAppAnswersEachRoute(t *testing.T) {
	tests := []struct {
		name            string
		request         string
		wantStatus      int
		wantContentType string
		wantBody        string
		wantClose       bool
		wantKeepAlive   string // the Connection field, if any
	}{
		{name: "plaintext", request: "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 200, wantContentType: "text/plain", wantBody: "Hello, World!"},
		{name: "plaintext with a query", request: "GET /plaintext?x=1 HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 200, wantContentType: "text/plain", wantBody: "Hello, World!"},
		{name: "json", request: "GET /json HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 200, wantContentType: "application/json", wantBody: `{"message":"Hello, World!"}`},
		{name: "echo", request: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\na\r\nb\x00cd",
			wantStatus: 200, wantContentType: "application/octet-stream", wantBody: "a\r\nb\x00cd"},
		{name: "empty echo", request: "POST /echo HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 200, wantContentType: "application/octet-stream", wantBody: ""},
		{name: "unknown path", request: "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 404, wantContentType: "text/plain", wantBody: "404 Not Found\n"},
		{name: "wrong method", request: "POST /plaintext HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 404, wantContentType: "text/plain", wantBody: "404 Not Found\n"},
		{name: "method names are case-sensitive", request: "get /plaintext HTTP/1.1\r\nHost: h\r\n\r\n",
			wantStatus: 404, wantContentType: "text/plain", wantBody: "404 Not Found\n"},
		{name: "Connection: close is answered in kind", request: "GET /json HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
			wantStatus: 200, wantContentType: "application/json", wantBody: `{"message":"Hello, World!"}`, wantClose: true},
		{name: "HTTP/1.0 closes", request: "GET /plaintext HTTP/1.0\r\n\r\n",
			wantStatus: 200, wantContentType: "text/plain", wantBody: "Hello, World!", wantClose: true},
		{name: "HTTP/1.0 keep-alive is confirmed", request: "GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
			wantStatus: 200, wantContentType: "text/plain", wantBody: "Hello, World!", wantKeepAlive: "keep-alive"},
	}
	p := newTestParser(t, DefaultLimits())
	app := newTestApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			_, err := p.Parse([]byte(tt.request), &req)
			require.NoError(t, err)
			out := app.AppendResponse(nil, &req)

			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantContentType, resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.wantBody, string(body))
			assert.Equal(t, tt.wantClose, resp.Close)
			assert.Equal(t, tt.wantClose, !req.KeepAlive)
			if !tt.wantClose {
				assert.Equal(t, tt.wantKeepAlive, resp.Header.Get("Connection"))
			}
			assert.Equal(t, "gnet", resp.Header.Get("Server"))
			assert.Equal(t, "Sun, 01 Mar 2026 12:00:00 GMT", resp.Header.Get("Date"))
		})
	}
}

func TestAppAnswersHEADWithoutABody(t *testing.T) {
	p := newTestParser(t, DefaultLimits())
	var req Request
	_, err := p.Parse([]byte("HEAD /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"), &req)
	require.NoError(t, err)
	out := newTestApp().AppendResponse(nil, &req)

	assert.True(t, bytes.HasSuffix(out, []byte("Content-Length: 14\r\n\r\n")), "%q", out)
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), &http.Request{Method: http.MethodHead})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestAppErrorResponsesCloseTheConnection(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantBody   string
	}{
		{err: ErrMalformedRequestLine, wantStatus: 400, wantBody: "Bad Request\n"},
		{err: ErrHeaderTooLarge, wantStatus: 431, wantBody: "Request Header Fields Too Large\n"},
		{err: ErrBodyTooLarge, wantStatus: 413, wantBody: "Request Entity Too Large\n"},
		{err: ErrTransferEncoding, wantStatus: 501, wantBody: "Not Implemented\n"},
		{err: ErrIncomplete, wantStatus: 400, wantBody: "Bad Request\n"},
	}
	app := newTestApp()
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			out := app.AppendError(nil, tt.err)
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantBody, string(body))
			assert.True(t, resp.Close)
		})
	}
}
