package codec_test

import (
	"encoding/binary"
	"fmt"

	"github.com/gnetio/gnet/codec"
)

// The examples feed bytes to newMemConn, an in-memory api.Conn defined in this package's
// tests; a server gets the same behaviour from the engine's connections.

func ExampleBuiltInFrameCodec() {
	cd := codec.NewBuiltInFrameCodec()
	c := newMemConn([]byte("whatever "), []byte("arrived"))

	frame, _ := cd.Decode(c)

	fmt.Printf("%q\n", frame)
	// Output: "whatever arrived"
}

func ExampleLineBasedFrameCodec() {
	cd := codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(512))
	c := newMemConn([]byte("PING\r\nECHO hi\nPAR"))

	for {
		frame, err := cd.Decode(c)
		if frame == nil {
			fmt.Println("waiting:", err)
			break
		}
		fmt.Printf("%q\n", frame)
	}
	reply, _ := cd.Encode(nil, []byte("PONG"))
	fmt.Printf("%q\n", reply)
	// Output:
	// "PING"
	// "ECHO hi"
	// waiting: gnet: there is no enough data
	// "PONG\n"
}

func ExampleDelimiterBasedFrameCodec() {
	cd := codec.NewDelimiterBasedFrameCodec(';')
	c := newMemConn([]byte("SET a 1;GET a;"))

	first, _ := cd.Decode(c)
	fmt.Printf("%q\n", first)
	second, _ := cd.Decode(c)
	fmt.Printf("%q\n", second)
	// Output:
	// "SET a 1"
	// "GET a"
}

func ExampleFixedLengthFrameCodec() {
	cd, err := codec.NewFixedLengthFrameCodec(4)
	if err != nil {
		panic(err)
	}
	c := newMemConn([]byte("abcdefg"))

	frame, _ := cd.Decode(c)
	fmt.Printf("%q, %d bytes left\n", frame, c.BufferLength())
	_, err = cd.Encode(nil, []byte("abc"))
	fmt.Println(err)
	// Output:
	// "abcd", 3 bytes left
	// gnet: invalid fixed length of bytes: 3 bytes is not a multiple of the frame length 4
}

func ExampleLengthFieldBasedFrameCodec() {
	cd, err := codec.NewLengthFieldBasedFrameCodec(
		codec.EncoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 2},
		codec.DecoderConfig{ByteOrder: binary.BigEndian, LengthFieldLength: 2, InitialBytesToStrip: 2, MaxFrameLength: 1024},
	)
	if err != nil {
		panic(err)
	}

	encoded, _ := cd.Encode(nil, []byte("hello"))
	fmt.Printf("%q\n", encoded)
	frame, _ := cd.Decode(newMemConn(encoded))
	fmt.Printf("%q\n", frame)
	_, err = cd.Decode(newMemConn([]byte{0xff, 0xff}))
	fmt.Println(err)
	// Output:
	// "\x00\x05hello"
	// "hello"
	// gnet: frame is longer than the codec's maximum frame length: length field 65535 with adjustment 0 and a 2-byte header makes a frame over the maximum of 1024 bytes
}

func ExampleAppendEncoder() {
	var cd codec.AppendEncoder = codec.NewLineBasedFrameCodec()
	scratch := make([]byte, 0, 64) // reused for every reply, as the engine reuses a per-loop buffer

	for _, reply := range []string{"one", "two"} {
		scratch, _ = cd.AppendEncode(scratch[:0], nil, []byte(reply))
		fmt.Printf("%q\n", scratch)
	}
	// Output:
	// "one\n"
	// "two\n"
}

func ExampleWithMaxFrameLength() {
	cd := codec.NewLineBasedFrameCodec(codec.WithMaxFrameLength(8))

	_, err := cd.Decode(newMemConn([]byte("a line that never ends")))

	fmt.Println(err)
	// Output: gnet: there is no CRLF within the maximum frame length of 8 bytes: gnet: frame is longer than the codec's maximum frame length
}
