// Command nethttp is the standard library HTTP server the benchmark compares httpd against:
// the net/http default server (one goroutine per connection) with the same routes, written
// the way a net/http user would (encoding/json for the JSON route). It prints one line once it
// listens. -loops is accepted for a command line identical to the other servers' and
// ignored: the Go scheduler decides where goroutines run.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/gnetio/gnet/tools/bench/peers/internal/peer"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// Header values, allocated once rather than per response.
var (
	serverHeader = []string{"net/http"}
	plainHeader  = []string{httpwire.ContentTypePlain}
	jsonHeader   = []string{httpwire.ContentTypeJSON}
	echoHeader   = []string{httpwire.ContentTypeEcho}
	helloWorld   = []byte(httpwire.HelloWorld)
)

// message is the JSON route's body.
type message struct {
	Message string `json:"message"`
}

func main() {
	addr := flag.String("addr", "tcp://127.0.0.1:8082", "listen address: host:port or tcp://host:port")
	flag.Int("loops", 1, "ignored; accepted so that every server takes the same flags")
	quiet := flag.Bool("quiet", false, "do not announce the address")
	flag.Parse()

	network, address := peer.SplitAddress(*addr)
	ln, err := net.Listen(network, address)
	if err != nil {
		log.Fatalf("nethttp: %v", err)
	}
	if !*quiet {
		fmt.Printf("nethttp listening on %s://%s\n", network, ln.Addr())
	}
	log.Fatal(http.Serve(ln, http.HandlerFunc(route)))
}

// route answers httpwire.App's routes; anything else is 404.
func route(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Server"] = serverHeader
	switch {
	case r.URL.Path == "/plaintext" && r.Method == http.MethodGet:
		h["Content-Type"] = plainHeader
		// A failed write means the client has gone; net/http closes the connection.
		_, _ = w.Write(helloWorld)
	case r.URL.Path == "/json" && r.Method == http.MethodGet:
		h["Content-Type"] = jsonHeader
		// As above: an encoding error here can only be a write error.
		_ = json.NewEncoder(w).Encode(message{Message: httpwire.HelloWorld})
	case r.URL.Path == "/echo" && r.Method == http.MethodPost:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, httpwire.DefaultMaxBodyBytes))
		if err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		h["Content-Type"] = echoHeader
		_, _ = w.Write(body) // as above
	default:
		http.NotFound(w, r)
	}
}
