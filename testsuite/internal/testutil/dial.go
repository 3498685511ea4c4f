package testutil

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ErrEchoDiffers is returned by RoundTrip when the bytes read back are not the bytes sent.
var ErrEchoDiffers = errors.New("testutil: echo differs from what was sent")

// Dial connects to addr (a server's api.Server.Addr) over its own network with every read and
// write bounded by WaitLimit. The connection is closed when the test ends. Call it from the
// test's goroutine; other goroutines use TryDial.
func Dial(t testing.TB, addr net.Addr) net.Conn {
	t.Helper()
	conn, err := TryDial(addr)
	require.NoError(t, err)
	t.Cleanup(func() {
		// The test is over; a connection the server already closed fails here harmlessly.
		_ = conn.Close()
	})
	return conn
}

// TryDial is Dial for any goroutine: it returns the error and leaves closing to the caller.
func TryDial(addr net.Addr) (net.Conn, error) {
	conn, err := net.DialTimeout(addr.Network(), addr.String(), WaitLimit)
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Now().Add(WaitLimit)); err != nil {
		_ = conn.Close() // the deadline error is the one worth reporting
		return nil, err
	}
	return conn, nil
}

// RoundTrip writes msg and reads back exactly as many bytes, writing from a goroutine of its
// own so that a message larger than the socket buffers cannot deadlock against the server's
// echo. It returns ErrEchoDiffers when the bytes differ. Safe from any goroutine.
func RoundTrip(conn net.Conn, msg []byte) error {
	written := make(chan error, 1)
	go func() {
		_, err := conn.Write(msg)
		written <- err
	}()
	got := make([]byte, len(msg))
	_, readErr := io.ReadFull(conn, got)
	if err := errors.Join(<-written, readErr); err != nil {
		return err
	}
	return SameBytes(got, msg)
}

// ExpectRead reads exactly len(want) bytes from conn and fails the test unless they are want.
// Call it from the test's goroutine.
func ExpectRead(t testing.TB, conn net.Conn, want string) {
	t.Helper()
	got := make([]byte, len(want))
	_, err := io.ReadFull(conn, got)
	require.NoError(t, err)
	require.NoError(t, SameBytes(got, []byte(want)))
}

// SameBytes returns nil when got equals want and otherwise an ErrEchoDiffers that says where
// they first differ, which tells a reordering or a lost chunk apart from a short read.
func SameBytes(got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	at := min(len(got), len(want))
	for i := range at {
		if got[i] != want[i] {
			at = i
			break
		}
	}
	return fmt.Errorf("%w: %d bytes instead of %d, first difference at byte %d", ErrEchoDiffers, len(got), len(want), at)
}

// HasLoopbackIPv6 reports whether ::1 can be bound here; tests over tcp6 and udp6 skip
// without it.
func HasLoopbackIPv6() bool {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	_ = ln.Close() // only probing
	return true
}
