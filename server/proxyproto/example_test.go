package proxyproto_test

import (
	"errors"
	"fmt"
	"net"

	"github.com/gnetio/gnet/server/proxyproto"
)

// A loop calls Parse with everything buffered so far on each read, until it stops asking
// for more; the payload starts n bytes in.
func ExampleParser_Parse() {
	src := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 50000}
	dst := &net.TCPAddr{IP: net.IPv4(198, 51, 100, 1), Port: 443}
	wire, _ := proxyproto.AppendV2(nil, proxyproto.Header{
		Command: proxyproto.CommandProxy, Source: src, Destination: dst,
		TLVs: []proxyproto.TLV{{Type: proxyproto.TypeAuthority, Value: []byte("example.com")}},
	})
	wire = append(wire, "GET / HTTP/1.1\r\n"...)

	var parser proxyproto.Parser
	reads := [][]byte{wire[:10], wire[10:30], wire[30:]}
	var buffered []byte
	for _, read := range reads {
		buffered = append(buffered, read...)
		h, n, err := parser.Parse(buffered)
		if errors.Is(err, proxyproto.ErrIncomplete) {
			fmt.Printf("%d bytes: waiting\n", len(buffered))
			continue
		}
		if err != nil {
			fmt.Println("close:", err)
			return
		}
		authority, _ := h.Lookup(proxyproto.TypeAuthority)
		fmt.Printf("client %v, via %v for %s; payload %q\n", h.Source, h.Destination, authority, buffered[n:])
	}
	// Output:
	// 10 bytes: waiting
	// 30 bytes: waiting
	// client 192.0.2.1:50000, via 198.51.100.1:443 for example.com; payload "GET / HTTP/1.1\r\n"
}

func ExampleParse_refused() {
	_, _, err := proxyproto.Parse([]byte("GET / HTTP/1.1\r\n"))
	fmt.Println(errors.Is(err, proxyproto.ErrNotProxy), err)
	_, _, err = proxyproto.Parse([]byte("PROXY TCP4 192.0.2.1 198.51.100.1 080 443\r\n"))
	fmt.Println(errors.Is(err, proxyproto.ErrMalformed), err)
	// Output:
	// true gnet: not a PROXY protocol header: first byte 0x47 starts neither "PROXY" nor the version 2 signature
	// true gnet: malformed PROXY protocol header: source port "080" is not a port number (0-65535, no leading zero)
}
