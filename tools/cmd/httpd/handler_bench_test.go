package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// The reads the handler path is measured with.
var (
	wrkRead        = []byte("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
	pipelinedRead  = bytes.Repeat(wrkRead, 16)
	jsonRead       = []byte("GET /json HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
	echoRead       = []byte("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\n\r\n" + strings.Repeat("e", 1024))
	handlerPathOps = []struct {
		name string
		read []byte
	}{
		{name: "plaintext", read: wrkRead},
		{name: "plaintext pipelined 16", read: pipelinedRead},
		{name: "json", read: jsonRead},
		{name: "echo 1 KiB", read: echoRead},
	}
)

// benchmarkHandlerPath measures one read's worth of requests through the codec and React,
// responses included, on an in-memory connection.
func benchmarkHandlerPath(b *testing.B, read []byte) {
	hs := newTestHTTPServer(b, httpwire.DefaultLimits())
	fc := newFakeConn(hs)
	b.SetBytes(int64(len(read)))
	b.ReportAllocs()
	for b.Loop() {
		fc.TakeOutbound()
		if err := feed(fc, read); err != nil {
			b.Fatal(err)
		}
	}
	require.False(b, isClosed(fc))
	require.NotEmpty(b, fc.Outbound())
}

func BenchmarkHandlerPlaintext(b *testing.B) { benchmarkHandlerPath(b, wrkRead) }

func BenchmarkHandlerPlaintextPipelined16(b *testing.B) { benchmarkHandlerPath(b, pipelinedRead) }

func BenchmarkHandlerJSON(b *testing.B) { benchmarkHandlerPath(b, jsonRead) }

func BenchmarkHandlerEcho1KiB(b *testing.B) { benchmarkHandlerPath(b, echoRead) }

func TestHandlerPathAllocatesNothingPerRequest(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own; the benchmarks carry the proof")
	}
	for _, op := range handlerPathOps {
		t.Run(op.name, func(t *testing.T) {
			hs := newTestHTTPServer(t, httpwire.DefaultLimits())
			fc := newFakeConn(hs)
			allocs := testing.AllocsPerRun(100, func() {
				fc.TakeOutbound()
				if err := feed(fc, op.read); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
			assert.False(t, isClosed(fc))
		})
	}
}
