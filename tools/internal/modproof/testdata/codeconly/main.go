// A program that frames lines with gnet's codec, without its engine.
package main

import (
	"fmt"
	"os"

	"github.com/gnetio/gnet/codec"
)

func main() {
	var lines codec.LineBasedFrameCodec
	out, err := lines.Encode(nil, []byte("frame"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("encoded %q\n", out)
}
