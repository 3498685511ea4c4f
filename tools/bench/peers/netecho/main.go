// Command netecho is the standard library echo server the benchmarks compare against: one
// goroutine per connection, reading into a 16 KiB buffer and writing back what it read.
// It prints one line once it listens. -loops is accepted for a command line identical to
// the other servers' and ignored: the Go scheduler decides where goroutines run.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"

	"github.com/gnetio/gnet/tools/bench/peers/internal/peer"
)

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9002", "listen address: host:port, tcp://host:port or unix:///path")
	flag.Int("loops", 1, "ignored; accepted so that every server takes the same flags")
	flag.Parse()

	network, address := peer.SplitAddress(*addr)
	ln, err := net.Listen(network, address)
	if err != nil {
		log.Fatalf("netecho: %v", err)
	}
	fmt.Printf("netecho listening on %s://%s\n", network, ln.Addr())
	log.Fatalf("netecho: %v", peer.Serve(ln, echo))
}

// echo copies the connection's input back to it until either direction fails.
func echo(conn net.Conn) {
	defer func() {
		// The peer has gone or the connection broke; there is no one left to tell.
		_ = conn.Close()
	}()
	peer.Echo(conn)
}
