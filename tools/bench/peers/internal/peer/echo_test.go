package peer

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

// scriptedConn reads from in and writes to out; a write fails once out holds failAfter
// bytes or more, when failAfter is positive.
type scriptedConn struct {
	in        io.Reader
	out       bytes.Buffer
	failAfter int
}

var errWriteFailed = errors.New("write failed")

func (c *scriptedConn) Read(p []byte) (int, error) { return c.in.Read(p) }

func (c *scriptedConn) Write(p []byte) (int, error) {
	if c.failAfter > 0 && c.out.Len() >= c.failAfter {
		return 0, errWriteFailed
	}
	return c.out.Write(p)
}

func TestEchoWritesBackWhatItReads(t *testing.T) {
	large := bytes.Repeat([]byte("0123456789abcdef"), 5*echoBufferBytes/16+3)
	tests := []struct {
		name      string
		input     []byte
		failAfter int
		want      []byte
	}{
		{name: "nothing before the end", input: nil, want: nil},
		{name: "one short read", input: []byte("hello"), want: []byte("hello")},
		{name: "more than the buffer holds", input: large, want: large},
		{name: "stops at the first failed write", input: large, failAfter: 1,
			want: large[:echoBufferBytes]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := &scriptedConn{in: bytes.NewReader(tt.input), failAfter: tt.failAfter}
			Echo(conn)
			assert.Equal(t, len(tt.want), conn.out.Len())
			assert.True(t, bytes.Equal(tt.want, conn.out.Bytes()), "the echoed bytes are the bytes read")
		})
	}
}
