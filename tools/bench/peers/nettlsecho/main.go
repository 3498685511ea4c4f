// Command nettlsecho is the standard library TLS echo server the TLS benchmark compares
// against: a crypto/tls listener, one goroutine per connection, reading into a 16 KiB buffer
// and writing back what it read. It prints one line once it listens. -loops is accepted for
// a command line identical to the other servers' and ignored: the Go scheduler decides where
// goroutines run.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"github.com/gnetio/gnet/tools/bench/peers/internal/peer"
)

// handshakeTimeout matches our server's default, so that a stalled client costs both
// servers the same.
const handshakeTimeout = 10 * time.Second

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:9443", "listen address: host:port, tcp://host:port or unix:///path")
	flag.Int("loops", 1, "ignored; accepted so that every server takes the same flags")
	certFile := flag.String("tls-cert", "", "PEM certificate chain (required)")
	keyFile := flag.String("tls-key", "", "PEM private key of -tls-cert (required)")
	flag.Parse()

	if *certFile == "" || *keyFile == "" {
		fmt.Fprintln(os.Stderr, "nettlsecho: -tls-cert and -tls-key are required")
		os.Exit(2)
	}
	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("nettlsecho: %v", err)
	}
	network, address := peer.SplitAddress(*addr)
	ln, err := net.Listen(network, address)
	if err != nil {
		log.Fatalf("nettlsecho: %v", err)
	}
	fmt.Printf("nettlsecho listening on %s://%s\n", network, ln.Addr())

	config := &tls.Config{Certificates: []tls.Certificate{cert}}
	log.Fatalf("nettlsecho: %v", peer.Serve(ln, func(conn net.Conn) { echo(tls.Server(conn, config)) }))
}

// echo completes the handshake, then copies the connection's input back to it until either
// direction fails or the client sends close_notify, which Close answers with its own.
func echo(conn *tls.Conn) {
	defer func() {
		// The peer has gone or the connection broke; there is no one left to tell.
		_ = conn.Close()
	}()
	if err := conn.SetDeadline(time.Now().Add(handshakeTimeout)); err != nil {
		return
	}
	if err := conn.Handshake(); err != nil {
		return
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return
	}
	peer.Echo(conn)
}
