package server

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// acceptedOptions are the TCP options of the server's side of an accepted connection, as
// getsockopt reads them back.
type acceptedOptions struct {
	noDelay   bool
	keepAlive bool
	// keepIdle and keepInterval are in seconds; keepTimes is false where the system has no
	// per-socket keep-alive times (OpenBSD).
	keepIdle, keepInterval int
	keepTimes              bool
}

func readStreamOptions(fd int) (acceptedOptions, error) {
	var o acceptedOptions
	noDelay, err := unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY)
	if err != nil {
		return o, err
	}
	keepAlive, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE)
	if err != nil {
		return o, err
	}
	o.noDelay, o.keepAlive = noDelay != 0, keepAlive != 0
	o.keepIdle, o.keepInterval, o.keepTimes, err = keepAliveTimes(fd)
	return o, err
}

func TestAcceptedTCPSocketsCarryTheConfiguredOptions(t *testing.T) {
	cases := []struct {
		name string
		tcp6 bool
		opts []Option
		// want's keep-alive times are checked only when keepAlive is set.
		want acceptedOptions
	}{
		{name: "defaults: TCP_NODELAY, no keep-alive", want: acceptedOptions{noDelay: true}},
		{name: "defaults over tcp6", tcp6: true, want: acceptedOptions{noDelay: true}},
		{name: "WithTCPNoDelay(false)", opts: []Option{WithTCPNoDelay(false)}, want: acceptedOptions{}},
		{
			name: "WithTCPKeepAlive(15s): probes after 15 s idle, every 15 s",
			opts: []Option{WithTCPKeepAlive(15 * time.Second)},
			want: acceptedOptions{noDelay: true, keepAlive: true, keepIdle: 15, keepInterval: 15},
		},
		{
			name: "WithTCPKeepAlive below a second counts as one second",
			opts: []Option{WithTCPKeepAlive(300 * time.Millisecond)},
			want: acceptedOptions{noDelay: true, keepAlive: true, keepIdle: 1, keepInterval: 1},
		},
		{
			name: "WithOptions(Options{LoopNum: 2}) keeps TCP_NODELAY",
			opts: []Option{WithOptions(Options{LoopNum: 2})},
			want: acceptedOptions{noDelay: true},
		},
		{
			name: "one listener per loop (WithReusePort) passes TCP_NODELAY on",
			opts: []Option{WithReusePort(true), WithLoopNum(2)},
			want: acceptedOptions{noDelay: true},
		},
		{
			name: "an acceptor handing connections to 2 loops, keep-alive too",
			opts: []Option{WithLoopNum(2), WithTCPKeepAlive(20 * time.Second)},
			want: acceptedOptions{noDelay: true, keepAlive: true, keepIdle: 20, keepInterval: 20},
		},
		{
			name: "WithOptions then WithTCPNoDelay(false) turns it off",
			opts: []Option{WithOptions(Options{LoopNum: 2}), WithTCPNoDelay(false)},
			want: acceptedOptions{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr := "tcp://127.0.0.1:0"
			if tc.tcp6 {
				if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
					t.Skip("no IPv6 loopback here")
				} else {
					_ = ln.Close() // only probing
				}
				addr = "tcp6://[::1]:0"
			}
			type readBack struct {
				opts acceptedOptions
				err  error
			}
			read := make(chan readBack, 1)
			h := &loopProbe{onOpened: func(c *conn) {
				o, err := readStreamOptions(c.fd)
				read <- readBack{opts: o, err: err}
			}}
			srv := startProbe(t, h, addr, tc.opts...)
			dialProbe(t, srv)
			var got readBack
			select {
			case got = <-read:
			case <-time.After(probeWait):
				t.Fatal("OnOpened never fired")
			}
			require.NoError(t, got.err)
			require.Equal(t, tc.want.noDelay, got.opts.noDelay, "TCP_NODELAY")
			require.Equal(t, tc.want.keepAlive, got.opts.keepAlive, "SO_KEEPALIVE")
			if tc.want.keepAlive && got.opts.keepTimes {
				require.Equal(t, tc.want.keepIdle, got.opts.keepIdle, "keep-alive idle time, in seconds")
				require.Equal(t, tc.want.keepInterval, got.opts.keepInterval, "keep-alive interval, in seconds")
			}
		})
	}
}
