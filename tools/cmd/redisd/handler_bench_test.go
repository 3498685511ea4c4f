package main

import (
	"strings"
	"testing"

	"github.com/gnetio/gnet/tools/internal/resp"
)

// These benchmarks drive the codec and the handler through the in-memory connection, as an
// event loop does for one read holding a pipeline of 16 commands: what redis-benchmark -P 16
// sends. They prove the request path allocates nothing: parsing, executing, replying.

func benchmarkPipeline(b *testing.B, setup, pipeline string) {
	h := newHarness(b, resp.Limits{})
	c := h.open()
	if _, err := h.feed(c, []byte(setup)); err != nil {
		b.Fatal(err)
	}
	input := []byte(pipeline)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		c.TakeOutbound()
		if _, err := h.feed(c, input); err != nil {
			b.Fatal(err)
		}
	}
	if len(c.Outbound()) == 0 {
		b.Fatal("no reply")
	}
}

func BenchmarkHandler16PipelinedPings(b *testing.B) {
	benchmarkPipeline(b, "", strings.Repeat("*1\r\n$4\r\nPING\r\n", 16))
}

func BenchmarkHandler16PipelinedSets(b *testing.B) {
	benchmarkPipeline(b, "SET key:__rand_int__ xxx\r\n",
		strings.Repeat("*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nxxx\r\n", 16))
}

func BenchmarkHandler16PipelinedGets(b *testing.B) {
	benchmarkPipeline(b, "SET key:__rand_int__ xxx\r\n",
		strings.Repeat("*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n", 16))
}

func BenchmarkHandler16PipelinedIncrs(b *testing.B) {
	benchmarkPipeline(b, "", strings.Repeat("*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n", 16))
}

func BenchmarkHandler16InlinePings(b *testing.B) {
	benchmarkPipeline(b, "", strings.Repeat("PING\r\n", 16))
}

func BenchmarkHandlerOneGet(b *testing.B) {
	benchmarkPipeline(b, "SET key:__rand_int__ xxx\r\n", "*2\r\n$3\r\nGET\r\n$16\r\nkey:__rand_int__\r\n")
}
