package httpwire

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestWithHeadLength returns a GET request whose head (request line to blank line) is
// exactly length bytes, padded in one field value.
func requestWithHeadLength(t *testing.T, length int) string {
	t.Helper()
	const frame = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: \r\n\r\n"
	require.GreaterOrEqual(t, length, len(frame))
	return "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + strings.Repeat("p", length-len(frame)) + "\r\n\r\n"
}

func TestParseEnforcesTheHeaderByteLimit(t *testing.T) {
	const limit = 256
	tests := []struct {
		name    string
		input   string
		wantErr error
	}{
		{name: "head exactly at the limit", input: requestWithHeadLength(t, limit), wantErr: nil},
		{name: "head one byte over the limit", input: requestWithHeadLength(t, limit+1), wantErr: ErrHeaderTooLarge},
		{name: "unfinished head reaching the limit", input: requestWithHeadLength(t, limit+100)[:limit], wantErr: ErrHeaderTooLarge},
		{name: "unfinished head below the limit", input: requestWithHeadLength(t, limit+100)[:limit-1], wantErr: ErrIncomplete},
		{name: "leading empty lines count", input: "\r\n" + requestWithHeadLength(t, limit-1), wantErr: ErrHeaderTooLarge},
		{name: "a body does not count", input: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n" + strings.Repeat("b", 1000)},
	}
	p := newTestParser(t, Limits{MaxHeaderBytes: limit, MaxHeaders: 10, MaxBodyBytes: 1000})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			n, err := p.Parse([]byte(tt.input), &req)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(tt.input), n)
		})
	}
	assert.Equal(t, StatusRequestHeaderFieldsTooLarge, StatusOf(ErrHeaderTooLarge))
}

// requestWithFields returns a GET request with count fields, Host among them.
func requestWithFields(count int) string {
	var b strings.Builder
	b.WriteString("GET / HTTP/1.1\r\nHost: h\r\n")
	for i := 1; i < count; i++ {
		b.WriteString("X-" + strconv.Itoa(i) + ": v\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

func TestParseEnforcesTheHeaderCountLimit(t *testing.T) {
	tests := []struct {
		name    string
		fields  int
		wantErr error
	}{
		{name: "one field", fields: 1},
		{name: "exactly the limit", fields: DefaultMaxHeaders},
		{name: "one over the limit", fields: DefaultMaxHeaders + 1, wantErr: ErrTooManyHeaders},
	}
	p := newTestParser(t, DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			_, err := p.Parse([]byte(requestWithFields(tt.fields)), &req)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Equal(t, StatusRequestHeaderFieldsTooLarge, StatusOf(err))
				return
			}
			require.NoError(t, err)
			assert.Len(t, req.Headers, tt.fields)
		})
	}
}

func TestParseEnforcesTheBodyLimitBeforeTheBodyArrives(t *testing.T) {
	const limit = 1 << 20
	tests := []struct {
		name          string
		contentLength string
		wantErr       error
	}{
		{name: "exactly the limit", contentLength: strconv.Itoa(limit), wantErr: ErrIncomplete},
		{name: "one over the limit", contentLength: strconv.Itoa(limit + 1), wantErr: ErrBodyTooLarge},
		{name: "more digits than an int holds", contentLength: strings.Repeat("9", 40), wantErr: ErrBodyTooLarge},
		{name: "agreeing oversized values", contentLength: "99999999999999999999, 99999999999999999999", wantErr: ErrBodyTooLarge},
	}
	p := newTestParser(t, Limits{MaxHeaderBytes: DefaultMaxHeaderBytes, MaxHeaders: DefaultMaxHeaders, MaxBodyBytes: limit})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req Request
			// No body byte is sent: the limit must be judged from the head alone.
			_, err := p.Parse([]byte("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: "+tt.contentLength+"\r\n\r\n"), &req)
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
	assert.Equal(t, StatusRequestEntityTooLarge, StatusOf(ErrBodyTooLarge))
}

func TestParseAcceptsABodyOfExactlyTheLimit(t *testing.T) {
	p := newTestParser(t, Limits{MaxHeaderBytes: MinHeaderBytes * 2, MaxHeaders: 2, MaxBodyBytes: 4})
	var req Request
	_, err := p.Parse([]byte("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd"), &req)
	require.NoError(t, err)
	assert.Equal(t, "abcd", string(req.Body))
}

func TestNewParserRejectsLimitsOutOfRange(t *testing.T) {
	tests := []struct {
		name    string
		limits  Limits
		wantErr error
	}{
		{name: "defaults", limits: DefaultLimits()},
		{name: "smallest", limits: Limits{MaxHeaderBytes: MinHeaderBytes, MaxHeaders: 1, MaxBodyBytes: 0}},
		{name: "largest body", limits: Limits{MaxHeaderBytes: MinHeaderBytes, MaxHeaders: 1, MaxBodyBytes: MaxBodyBytesCeiling}},
		{name: "head too small", limits: Limits{MaxHeaderBytes: MinHeaderBytes - 1, MaxHeaders: 1}, wantErr: ErrInvalidLimits},
		{name: "no fields", limits: Limits{MaxHeaderBytes: MinHeaderBytes, MaxHeaders: 0}, wantErr: ErrInvalidLimits},
		{name: "negative body", limits: Limits{MaxHeaderBytes: MinHeaderBytes, MaxHeaders: 1, MaxBodyBytes: -1}, wantErr: ErrInvalidLimits},
		{name: "body above the ceiling", limits: Limits{MaxHeaderBytes: MinHeaderBytes, MaxHeaders: 1, MaxBodyBytes: MaxBodyBytesCeiling + 1}, wantErr: ErrInvalidLimits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewParser(tt.limits)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, p)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, p)
		})
	}
}
