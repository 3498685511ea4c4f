package proxytest

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/server/proxyproto"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// v2Signature begins every version 2 header.
const v2Signature = "\r\n\r\n\x00\r\nQUIT\n"

// clientEnd is what a refused client does once it has sent its bytes.
type clientEnd int

const (
	// waitForServer keeps the connection open: the server must decide on what it has.
	waitForServer clientEnd = iota
	// endStream shuts the client's side down for writing: the server reads end of stream.
	endStream
	// reset closes the connection with SO_LINGER 0: the server's read fails with a reset.
	reset
)

func TestRefusedHeaderClosesTheConnectionWithoutOpeningItAndSaysWhy(t *testing.T) {
	v1 := testutil.ProxyHeader(t, relayed(1, client4, front4))
	v2 := testutil.ProxyHeader(t, relayed(2, client4, front4))
	badChecksum := testutil.ProxyHeader(t, relayed(2, client4, front4, proxyproto.TLV{Type: proxyproto.TypeCRC32C}))
	badChecksum[len(badChecksum)-1] ^= 0xff
	unknownVersion := append([]byte(nil), v2...)
	unknownVersion[12] = 0x31 // version 3, command PROXY
	clientHello := []byte{0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03}
	cases := []struct {
		name string
		mode server.ProxyMode
		send []byte
		end  clientEnd
		// want is the engine's reason; wantParser the parser's own error, also matched,
		// where the parser refused.
		want, wantParser error
	}{
		{name: "version 1 with an address out of range", send: []byte("PROXY TCP4 192.0.2.999 198.51.100.1 50000 443\r\n"),
			want: server.ErrProxyHeaderMalformed, wantParser: proxyproto.ErrMalformed},
		{name: "version 1 with a lone LF", send: []byte("PROXY UNKNOWN\n"),
			want: server.ErrProxyHeaderMalformed, wantParser: proxyproto.ErrMalformed},
		{name: "version 2 of an unknown version", send: unknownVersion,
			want: server.ErrProxyHeaderMalformed, wantParser: proxyproto.ErrMalformed},
		{name: "version 2 whose checksum does not match", send: badChecksum,
			want: server.ErrProxyHeaderMalformed, wantParser: proxyproto.ErrChecksum},
		{name: "version 1 with no CRLF within 107 bytes", send: []byte("PROXY UNKNOWN " + strings.Repeat("x", 100)),
			want: server.ErrProxyHeaderTooLong, wantParser: proxyproto.ErrTooLong},
		{name: "version 2 announcing more than the limit", send: []byte(v2Signature + "\x21\x11\xff\xff"),
			want: server.ErrProxyHeaderTooLong, wantParser: proxyproto.ErrTooLong},
		{name: "an HTTP request where a header is required", mode: server.ProxyRequired, send: []byte("GET / HTTP/1.1\r\n\r\n"),
			want: server.ErrProxyHeaderMissing, wantParser: proxyproto.ErrNotProxy},
		{name: "a TLS ClientHello where a header is required", mode: server.ProxyRequired, send: clientHello,
			want: server.ErrProxyHeaderMissing, wantParser: proxyproto.ErrNotProxy},
		{name: "half a version 1 line, then end of stream", send: v1[:20], end: endStream, want: server.ErrProxyHeaderTruncated},
		{name: "half a version 2 header, then end of stream", send: v2[:20], end: endStream, want: server.ErrProxyHeaderTruncated},
		{name: "nothing, then end of stream", end: endStream, want: server.ErrProxyHeaderTruncated},
		{name: "half a version 2 header, then a reset", send: v2[:20], end: reset, want: server.ErrProxyHeaderTruncated},
		{name: "a malformed header where one is optional", mode: server.ProxyOptional,
			send: []byte("PROXY TCP4 192.0.2.1 198.51.100.1 50000 443 junk\r\n"),
			want: server.ErrProxyHeaderMalformed, wantParser: proxyproto.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mode := tc.mode
			if mode == server.ProxyOff {
				mode = server.ProxyRequired
			}
			h := newProxyEcho()
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(mode), server.WithLoopNum(1))
			conn := testutil.Dial(t, srv.Addr)
			clientAddr := conn.LocalAddr().String()
			if len(tc.send) > 0 {
				_, err := conn.Write(tc.send)
				require.NoError(t, err)
			}
			switch tc.end {
			case waitForServer:
				// The server must decide on the bytes it has.
			case endStream:
				require.NoError(t, conn.(*net.TCPConn).CloseWrite())
			case reset:
				require.NoError(t, conn.(*net.TCPConn).SetLinger(0))
				require.NoError(t, conn.Close())
			}

			r := h.nextRefusal(t)
			require.ErrorIs(t, r.err, tc.want)
			if tc.wantParser != nil {
				require.ErrorIs(t, r.err, tc.wantParser)
			}
			require.Equal(t, clientAddr, r.remote.String(), "a refused connection reports the socket's peer")
			if tc.end != reset {
				expectClosedByServer(t, conn)
			}

			// The loop serves the next connection as if nothing had happened.
			next := testutil.Dial(t, srv.Addr)
			_, err := next.Write(testutil.ProxyHeader(t, relayed(2, client4, front4)))
			require.NoError(t, err)
			expectEcho(t, next, "still serving\n")
			require.Equal(t, client4.String(), h.nextOpening(t).remote.String())
			h.requireNoOpening(t)
			require.Equal(t, 1, h.Opened(), "only the well-formed connection opened")
			require.Empty(t, h.Closures(), "OnClosed fired for a connection that never opened")
		})
	}
}

// plainEcho is an echo server that does not hear of refused headers.
type plainEcho struct {
	testutil.Recorder
}

func TestRefusalsAreLoggedForAHandlerThatDoesNotTakeThemAndAPlainTCPCheckOnlyAtDebugLevel(t *testing.T) {
	logger := new(testutil.Logger)
	srv := testutil.StartServer(t, new(plainEcho), "tcp://127.0.0.1:0",
		server.WithProxyProtocol(server.ProxyRequired), server.WithLogger(logger), server.WithLoopNum(1))

	probe := testutil.Dial(t, srv.Addr)
	require.NoError(t, probe.Close())
	refused := testutil.Dial(t, srv.Addr)
	_, err := refused.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	expectClosedByServer(t, refused)

	require.Eventually(t, func() bool {
		return logger.Contains("WARN gnet: loop 0: refusing connection from " + refused.LocalAddr().String() +
			": gnet: PROXY protocol header missing: first byte 0x47")
	}, testutil.WaitLimit, testutil.PollEvery, "the refusal is logged as a warning")
	require.Eventually(t, func() bool {
		return logger.Contains("DEBUG gnet: loop 0: connection from " + probe.LocalAddr().String() +
			" closed before its PROXY protocol header")
	}, testutil.WaitLimit, testutil.PollEvery, "the probe is logged at debug level")
	require.False(t, logger.Contains("WARN gnet: loop 0: refusing connection from "+probe.LocalAddr().String()),
		"the probe is not a warning")
}
