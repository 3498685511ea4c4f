package peer

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scriptedListener answers Accept with its results in order, one per call.
type scriptedListener struct {
	results []acceptResult
}

type acceptResult struct {
	conn net.Conn
	err  error
}

func (l *scriptedListener) Accept() (net.Conn, error) {
	r := l.results[0]
	l.results = l.results[1:]
	return r.conn, r.err
}

func (l *scriptedListener) Close() error { return nil }

func (l *scriptedListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

var errListenerGone = errors.New("listener gone")

func TestServeRidesOutTemporaryFailuresAndReturnsThePermanentOne(t *testing.T) {
	tests := []struct {
		name      string
		temporary error
	}{
		{name: "out of descriptors in the process", temporary: os.NewSyscallError("accept4", syscall.EMFILE)},
		{name: "out of descriptors in the system", temporary: os.NewSyscallError("accept4", syscall.ENFILE)},
		{name: "deadline exceeded", temporary: os.ErrDeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server, client := net.Pipe()
			t.Cleanup(func() {
				// Pipes closed twice report an error that says nothing about the test.
				_ = server.Close()
				_ = client.Close()
			})
			ln := &scriptedListener{results: []acceptResult{
				{err: tt.temporary},
				{conn: server},
				{err: tt.temporary},
				{err: errListenerGone},
			}}
			handled := make(chan net.Conn, 1)

			err := Serve(ln, func(c net.Conn) { handled <- c })

			require.ErrorIs(t, err, errListenerGone)
			select {
			case c := <-handled:
				assert.Same(t, server, c)
			case <-time.After(10 * time.Second):
				t.Fatal("the accepted connection never reached its handler")
			}
		})
	}
}
