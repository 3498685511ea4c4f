// Command echo is an echo server built on gnet: every frame it receives is written back.
//
//	go run ./tools/cmd/echo -addr tcp://127.0.0.1:9000
//	printf 'hello\n' | nc -q1 127.0.0.1 9000
//
// Flags choose the address (any scheme Serve accepts), the number of event loops, SO_REUSEPORT
// listeners and the frame codec.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
)

type echoServer struct {
	api.EventServer
	quiet bool
}

func (es *echoServer) OnInitComplete(srv api.Server) api.Action {
	if !es.quiet {
		log.Printf("echo: serving %s on %s with %d event loop(s), reuseport=%v",
			srv.Addr.Network(), srv.Addr, srv.NumEventLoop, srv.ReUsePort)
	}
	return api.None
}

func (es *echoServer) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func newCodec(name string) (api.ICodec, error) {
	switch name {
	case "none", "":
		return nil, nil
	case "line":
		return codec.NewLineBasedFrameCodec(), nil
	case "length":
		return codec.NewLengthFieldBasedFrameCodec(
			codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4},
			codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4, InitialBytesToStrip: 4},
		)
	default:
		return nil, fmt.Errorf("unknown codec %q (want none, line or length)", name)
	}
}

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9000", "address to serve: tcp://, tcp4://, tcp6://, udp://, udp4://, udp6:// or unix://")
	loops := flag.Int("loops", runtime.NumCPU(), "number of event loops")
	reusePort := flag.Bool("reuseport", false, "give every event loop its own SO_REUSEPORT listener")
	codecName := flag.String("codec", "none", "frame codec: none (every read is a frame), line, or length (4-byte big-endian length prefix)")
	quiet := flag.Bool("quiet", false, "log nothing but errors")
	flag.Parse()

	frameCodec, err := newCodec(*codecName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(2)
	}
	opts := []server.Option{server.WithLoopNum(*loops), server.WithReusePort(*reusePort)}
	if frameCodec != nil {
		opts = append(opts, server.WithCodec(frameCodec))
	}
	if err := server.Serve(&echoServer{quiet: *quiet}, *addr, opts...); err != nil {
		log.Fatalf("echo: %v", err)
	}
}
