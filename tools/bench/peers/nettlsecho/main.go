// Command nettlsecho is the standard library TLS echo server the TLS benchmark compares
// against: a crypto/tls listener, one goroutine per connection, reading into a 16 KiB buffer
// and writing back what it read. It prints one line once it listens. -loops is accepted for
// a command line identical to the other servers' and ignored: the Go scheduler decides where
// goroutines run.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

const (
	bufferBytes = 16 << 10
	// acceptPause is how long to wait after a temporary accept failure (typically EMFILE:
	// out of descriptors) before trying again, rather than spinning.
	acceptPause = 10 * time.Millisecond
	// handshakeTimeout matches our server's default, so that a stalled client costs both
	// servers the same.
	handshakeTimeout = 10 * time.Second
)

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
	network, address := splitAddress(*addr)
	ln, err := net.Listen(network, address)
	if err != nil {
		log.Fatalf("nettlsecho: %v", err)
	}
	fmt.Printf("nettlsecho listening on %s://%s\n", network, ln.Addr())

	config := &tls.Config{Certificates: []tls.Certificate{cert}}
	for {
		conn, err := ln.Accept()
		if err != nil {
			if isTemporary(err) {
				time.Sleep(acceptPause)
				continue
			}
			log.Fatalf("nettlsecho: %v", err)
		}
		go echo(tls.Server(conn, config))
	}
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
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
