package httpwire

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Requests the benchmarks parse: what wrk sends, and what a browser sends (the request of
// the TechEmpower plaintext test, about 400 bytes of fields).
const (
	wrkRequest     = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
	browserRequest = "GET /plaintext HTTP/1.1\r\nHost: server\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20130501 Firefox/30.0 AppleWebKit/600.00 Chrome/30.0.0000.0 Trident/10.0 Safari/600.00\r\n" +
		"Cookie: uid=12345678901234567890; __utma=1.1234567890.1234567890.1234567890.1234567890.12; wd=2560x1600\r\n" +
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
		"Accept-Language: en-US,en;q=0.5\r\n" +
		"Connection: keep-alive\r\n\r\n"
)

func benchmarkParse(b *testing.B, stream []byte) {
	p := newTestParser(b, DefaultLimits())
	var req Request
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		for consumed := 0; consumed < len(stream); {
			n, err := p.Parse(stream[consumed:], &req)
			if err != nil {
				b.Fatal(err)
			}
			consumed += n
		}
	}
}

func BenchmarkParseWrkRequest(b *testing.B) { benchmarkParse(b, []byte(wrkRequest)) }

func BenchmarkParseBrowserRequest(b *testing.B) { benchmarkParse(b, []byte(browserRequest)) }

func BenchmarkParsePipelined16(b *testing.B) {
	benchmarkParse(b, bytes.Repeat([]byte(wrkRequest), 16))
}

func benchmarkAppResponse(b *testing.B, request string) {
	p := newTestParser(b, DefaultLimits())
	app := NewApp("gnet", NewDateCache(time.Now()))
	var req Request
	_, err := p.Parse([]byte(request), &req)
	require.NoError(b, err)
	out := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		out = app.AppendResponse(out[:0], &req)
	}
}

func BenchmarkAppResponsePlaintext(b *testing.B) { benchmarkAppResponse(b, wrkRequest) }

func BenchmarkAppResponseJSON(b *testing.B) {
	benchmarkAppResponse(b, "GET /json HTTP/1.1\r\nHost: h\r\n\r\n")
}

func TestParseAndRespondAllocateNothingPerRequest(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own; the benchmarks carry the proof")
	}
	tests := []struct {
		name    string
		request string
	}{
		{name: "plaintext from wrk", request: wrkRequest},
		{name: "plaintext from a browser", request: browserRequest},
		{name: "json", request: "GET /json HTTP/1.1\r\nHost: h\r\n\r\n"},
		{name: "echo", request: "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"},
		{name: "not found", request: "GET /nope HTTP/1.0\r\n\r\n"},
	}
	p := newTestParser(t, DefaultLimits())
	app := newTestApp()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := []byte(tt.request)
			var req Request
			out := make([]byte, 0, 1024)
			allocs := testing.AllocsPerRun(100, func() {
				if _, err := p.Parse(input, &req); err != nil {
					t.Fatal(err)
				}
				out = app.AppendResponse(out[:0], &req)
			})
			assert.Zero(t, allocs)
		})
	}
}
