// Command netecho is the standard library echo server the benchmarks compare against: one
// goroutine per connection, reading into a 16 KiB buffer and writing back what it read.
// It prints one line once it listens. -loops is accepted for a command line identical to
// the other servers' and ignored: the Go scheduler decides where goroutines run.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

const (
	bufferBytes = 16 << 10
	// acceptPause is how long to wait after a temporary accept failure (typically EMFILE:
	// out of descriptors) before trying again, rather than spinning.
	acceptPause = 10 * time.Millisecond
)

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9002", "listen address: host:port, tcp://host:port or unix:///path")
	flag.Int("loops", 1, "ignored; accepted so that every server takes the same flags")
	flag.Parse()

	network, address := splitAddress(*addr)
	ln, err := net.Listen(network, address)
	if err != nil {
		log.Fatalf("netecho: %v", err)
	}
	fmt.Printf("netecho listening on %s://%s\n", network, ln.Addr())

	for {
		conn, err := ln.Accept()
		if err != nil {
			if isTemporary(err) {
				time.Sleep(acceptPause)
				continue
			}
			log.Fatalf("netecho: %v", err)
		}
		go echo(conn)
	}
}

// echo copies the connection's input back to it until either direction fails.
func echo(conn net.Conn) {
	defer func() {
		// The peer has gone or the connection broke; there is no one left to tell.
		_ = conn.Close()
	}()
	buf := make([]byte, bufferBytes)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// splitAddress accepts the scheme://address form the other servers take, and a bare
// host:port for TCP.
func splitAddress(addr string) (network, address string) {
	if scheme, rest, ok := strings.Cut(addr, "://"); ok {
		return scheme, rest
	}
	return "tcp", addr
}

// isTemporary reports accept errors that pass on their own, like running out of file
// descriptors while thousands of connections are open.
func isTemporary(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	return errors.Is(err, os.ErrDeadlineExceeded) || isOutOfDescriptors(err)
}
