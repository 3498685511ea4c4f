package httpwire

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// parsed is a Request copied out of the buffer it points into, comparable with ==-style
// assertions after the buffer has changed.
type parsed struct {
	Method, Target string
	ProtoMinor     int
	Headers        []string // "name: value"
	ContentLength  int
	Body           string
	KeepAlive      bool
	ExpectContinue bool
}

func snapshot(req *Request) parsed {
	p := parsed{
		Method:         string(req.Method),
		Target:         string(req.Target),
		ProtoMinor:     req.ProtoMinor,
		ContentLength:  req.ContentLength,
		Body:           string(req.Body),
		KeepAlive:      req.KeepAlive,
		ExpectContinue: req.ExpectContinue,
	}
	for _, h := range req.Headers {
		p.Headers = append(p.Headers, string(h.Name)+": "+string(h.Value))
	}
	return p
}

// serialize writes req back in canonical form: single spaces, "name: value" lines, CRLFs.
func serialize(req *Request) []byte {
	out := append([]byte(nil), req.Method...)
	out = append(out, ' ')
	out = append(out, req.Target...)
	out = append(out, " HTTP/1."...)
	out = strconv.AppendInt(out, int64(req.ProtoMinor), 10)
	out = append(out, "\r\n"...)
	for _, h := range req.Headers {
		out = append(out, h.Name...)
		out = append(out, ": "...)
		out = append(out, h.Value...)
		out = append(out, "\r\n"...)
	}
	out = append(out, "\r\n"...)
	return append(out, req.Body...)
}

func newTestParser(t testing.TB, limits Limits) *Parser {
	t.Helper()
	p, err := NewParser(limits)
	require.NoError(t, err)
	return p
}

// parseStream parses every whole request at the front of buf, as a server does with what a
// connection has buffered, and returns them with the number of bytes they took.
func parseStream(t testing.TB, p *Parser, buf []byte) (requests []parsed, consumed int) {
	t.Helper()
	var req Request
	for {
		n, err := p.Parse(buf[consumed:], &req)
		if errors.Is(err, ErrIncomplete) {
			return requests, consumed
		}
		require.NoError(t, err)
		require.Positive(t, n)
		requests = append(requests, snapshot(&req))
		consumed += n
	}
}
