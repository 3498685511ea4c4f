package server_test

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
)

// echoServer writes every frame back. started receives the server once it is ready.
type echoServer struct {
	api.EventServer
	started chan api.Server
}

func (es *echoServer) OnInitComplete(srv api.Server) api.Action {
	es.started <- srv
	return api.None
}

func (es *echoServer) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame) // fails only once the connection is closed
	return api.None
}

// serve runs Serve in the background and returns the running server.
func serve(h api.EventHandler, started chan api.Server, opts ...server.Option) api.Server {
	go func() {
		if err := server.Serve(h, "tcp://127.0.0.1:0", opts...); err != nil {
			log.Fatal(err)
		}
	}()
	return <-started
}

// An echo server: every frame is written back as it is.
func ExampleServe() {
	h := &echoServer{started: make(chan api.Server, 1)}
	srv := serve(h, h.started)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr.String())
	if err != nil {
		log.Print(err)
		return
	}
	defer func() { _ = conn.Close() }() // the example is done with it either way
	_, _ = conn.Write([]byte("hello, gnet"))
	reply := make([]byte, len("hello, gnet"))
	if _, err := io.ReadFull(conn, reply); err != nil {
		log.Print(err)
		return
	}
	fmt.Println(string(reply))
	// Output: hello, gnet
}

// A server with a codec: the length-field codec cuts the stream into frames that carry a 4-byte
// big-endian length, so React sees whole messages however TCP splits or joins them, and
// AsyncWrite adds the length to the reply.
func ExampleWithCodec() {
	frames, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4},
		codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 4, InitialBytesToStrip: 4},
	)
	if err != nil {
		log.Fatal(err)
	}
	h := &echoServer{started: make(chan api.Server, 1)}
	srv := serve(h, h.started, server.WithCodec(frames))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr.String())
	if err != nil {
		log.Print(err)
		return
	}
	defer func() { _ = conn.Close() }() // the example is done with it either way
	// Two frames in one write.
	var out []byte
	for _, msg := range []string{"first", "second"} {
		out = binary.BigEndian.AppendUint32(out, uint32(len(msg)))
		out = append(out, msg...)
	}
	_, _ = conn.Write(out)
	for range 2 {
		var size [4]byte
		if _, err := io.ReadFull(conn, size[:]); err != nil {
			log.Print(err)
			return
		}
		msg := make([]byte, binary.BigEndian.Uint32(size[:]))
		if _, err := io.ReadFull(conn, msg); err != nil {
			log.Print(err)
			return
		}
		fmt.Println(string(msg))
	}
	// Output:
	// first
	// second
}

// clock pushes the time to every client from its own goroutine: AsyncWrite is safe from any
// goroutine and hands the write to the connection's event loop.
type clock struct {
	api.EventServer
	started chan api.Server
}

func (cl *clock) OnInitComplete(srv api.Server) api.Action {
	cl.started <- srv
	return api.None
}

func (cl *clock) OnOpened(c api.Conn) ([]byte, api.Action) {
	go func() {
		for i := 1; i <= 3; i++ {
			if c.AsyncWrite(fmt.Appendf(nil, "tick %d\n", i)) != nil {
				return // the connection or the server has closed
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = c.Close() // Close is safe from any goroutine, and writes what is queued first
	}()
	return nil, api.None
}

// Writing from another goroutine with AsyncWrite.
func Example_asyncWrite() {
	h := &clock{started: make(chan api.Server, 1)}
	srv := serve(h, h.started)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Addr.String())
	if err != nil {
		log.Print(err)
		return
	}
	defer func() { _ = conn.Close() }() // the example is done with it either way
	lines := bufio.NewScanner(conn)
	for lines.Scan() {
		fmt.Println(lines.Text())
	}
	// Output:
	// tick 1
	// tick 2
	// tick 3
}
