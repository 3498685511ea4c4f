package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// respClient is a small hand-written RESP2 client for the end-to-end tests: it sends raw
// bytes and reads replies back as Go values.
type respClient struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

// reply values: string for simple strings, respError for errors, int64 for integers,
// []byte for bulk strings, nil for the null bulk string and the null array, []any for arrays.
type respError string

// clientTimeout bounds every read and write, so that a server that stops answering fails the
// test instead of hanging it.
const clientTimeout = 10 * time.Second

func dial(t testing.TB, network, addr string) *respClient {
	t.Helper()
	conn, err := net.DialTimeout(network, addr, clientTimeout)
	require.NoError(t, err)
	t.Cleanup(func() {
		// The test is over; a connection the server already closed fails here harmlessly.
		_ = conn.Close()
	})
	return &respClient{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// send writes raw bytes in one write.
func (c *respClient) send(raw string) {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetWriteDeadline(time.Now().Add(clientTimeout)))
	_, err := io.WriteString(c.conn, raw)
	require.NoError(c.t, err)
}

// do sends one command as an array of bulk strings and returns its reply.
func (c *respClient) do(args ...string) any {
	c.t.Helper()
	c.send(encodeCommand(args...))
	return c.read()
}

func encodeCommand(args ...string) string {
	out := fmt.Sprintf("*%d\r\n", len(args))
	for _, arg := range args {
		out += fmt.Sprintf("$%d\r\n%s\r\n", len(arg), arg)
	}
	return out
}

// read returns the next reply.
func (c *respClient) read() any {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(clientTimeout)))
	reply, err := c.readReply()
	require.NoError(c.t, err)
	return reply
}

// readEOF checks that the server closed the connection with nothing more to say.
func (c *respClient) readEOF() {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(clientTimeout)))
	rest, err := io.ReadAll(c.r)
	require.NoError(c.t, err, "the server closes the connection")
	require.Empty(c.t, string(rest))
}

func (c *respClient) readReply() (any, error) {
	line, err := c.readLine()
	if err != nil {
		return nil, err
	}
	if len(line) == 0 {
		return nil, fmt.Errorf("empty reply line")
	}
	body := line[1:]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return respError(body), nil
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return nil, err
		}
		return buf[:n], nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil || n < 0 {
			return nil, err
		}
		elems := make([]any, n)
		for i := range elems {
			if elems[i], err = c.readReply(); err != nil {
				return nil, err
			}
		}
		return elems, nil
	default:
		return nil, fmt.Errorf("unknown reply type in %q", line)
	}
}

func (c *respClient) readLine() (string, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", fmt.Errorf("reply line %q does not end in CRLF", line)
	}
	return line[:len(line)-2], nil
}

// incrementInOneWrite sends n INCRs of key in one write and reads their replies, reporting
// failures as an error rather than through the test, so that it may run on any goroutine.
func (c *respClient) incrementInOneWrite(key string, n int) error {
	if err := c.conn.SetDeadline(time.Now().Add(clientTimeout)); err != nil {
		return err
	}
	if _, err := io.WriteString(c.conn, strings.Repeat(encodeCommand("INCR", key), n)); err != nil {
		return err
	}
	for range n {
		reply, err := c.readReply()
		if err != nil {
			return err
		}
		if _, ok := reply.(int64); !ok {
			return fmt.Errorf("INCR answered %#v", reply)
		}
	}
	return nil
}
