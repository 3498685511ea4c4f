// A program that wants the ring buffer and nothing else of gnet.
package main

import (
	"fmt"
	"os"

	"github.com/gnetio/gnet/buffer"
)

func main() {
	r := buffer.NewRing(64)
	if _, err := r.Write([]byte("ring")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("buffered %d bytes\n", r.Len())
}
