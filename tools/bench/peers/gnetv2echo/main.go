// Command gnetv2echo is the gnet v2 echo server the benchmarks compare against: OnTraffic
// takes everything buffered with c.Next(-1) and writes it back with c.Write, which is gnet
// v2's idiomatic and fastest echo. It prints one line once it listens, and otherwise only
// warnings and errors.
//
// Given a udp:// address it is gnet v2's UDP echo as well: gnet v2 reads one datagram per
// readiness event (recvfrom), calls OnTraffic with it, and c.Write answers the sender with
// sendto, so the same handler serves both (udp.sh runs it so).
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/panjf2000/gnet/v2"

	"github.com/gnetio/gnet/tools/bench/peers/internal/peer"
)

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9001", "listen address, tcp://host:port, udp://host:port or unix:///path")
	loops := flag.Int("loops", 1, "event loops; more than one turns on multicore mode")
	flag.Parse()
	if *loops < 1 {
		log.Fatal("gnetv2echo: -loops must be at least 1")
	}

	server := &echoServer{addr: *addr}
	err := gnet.Run(server, *addr,
		gnet.WithMulticore(*loops > 1),
		gnet.WithNumEventLoop(*loops),
		gnet.WithLogger(peer.QuietLogger{Name: "gnetv2echo"}),
	)
	if err != nil {
		log.Fatalf("gnetv2echo: %v", err)
	}
}

// echoServer writes back whatever it reads.
type echoServer struct {
	gnet.BuiltinEventEngine
	addr string
}

// OnBoot runs once, when the engine listens.
func (s *echoServer) OnBoot(gnet.Engine) gnet.Action {
	fmt.Printf("gnetv2echo listening on %s\n", s.addr)
	return gnet.None
}

// OnTraffic runs on the connection's event loop whenever bytes arrived.
func (s *echoServer) OnTraffic(c gnet.Conn) gnet.Action {
	// Next(-1) fails only when asked for more bytes than are buffered, which -1 never does.
	buf, _ := c.Next(-1)
	if _, err := c.Write(buf); err != nil {
		return gnet.Close
	}
	return gnet.None
}
