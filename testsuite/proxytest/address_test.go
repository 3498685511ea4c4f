package proxytest

import (
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/codec"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/server/proxyproto"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// The addresses the test headers carry: documentation ranges, never the socket's own.
var (
	client4   = &net.TCPAddr{IP: net.ParseIP("192.0.2.1").To4(), Port: 50000}
	front4    = &net.TCPAddr{IP: net.ParseIP("198.51.100.1").To4(), Port: 443}
	client6   = &net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 50001}
	front6    = &net.TCPAddr{IP: net.ParseIP("2001:db8::2"), Port: 8443}
	clientSun = &net.UnixAddr{Name: "/run/client.sock", Net: "unix"}
	frontSun  = &net.UnixAddr{Name: "/run/front.sock", Net: "unix"}
)

// relayed is a header that names src as the client and dst as the address it reached.
func relayed(version int, src, dst net.Addr, tlvs ...proxyproto.TLV) proxyproto.Header {
	return proxyproto.Header{Version: version, Command: proxyproto.CommandProxy, Source: src, Destination: dst, TLVs: tlvs}
}

// listenAddrs are the kinds of listener a balancer connects to: TCP over IPv4 and IPv6, and
// a unix socket on the same host.
func listenAddrs(t *testing.T) []string {
	addrs := []string{"tcp://127.0.0.1:0", "unix://" + filepath.Join(t.TempDir(), "proxied.sock")}
	if testutil.HasLoopbackIPv6() {
		addrs = append(addrs, "tcp6://[::1]:0")
	}
	return addrs
}

func TestConnectionsSeeTheHeadersAddressesFromOnOpenedOnAndTheSocketsForLocalAndUnknown(t *testing.T) {
	authority := proxyproto.TLV{Type: proxyproto.TypeAuthority, Value: []byte("example.com")}
	uniqueID := proxyproto.TLV{Type: proxyproto.TypeUniqueID, Value: []byte("conn-42")}
	cases := []struct {
		name   string
		header proxyproto.Header
		// wantRemote and wantLocal are the addresses the header names; empty when the
		// socket's own must stand.
		wantRemote, wantLocal string
		wantLocalCommand      bool
		wantTLVs              []proxyproto.TLV
	}{
		{name: "version 1, TCP over IPv4", header: relayed(1, client4, front4),
			wantRemote: "192.0.2.1:50000", wantLocal: "198.51.100.1:443"},
		{name: "version 1, TCP over IPv6", header: relayed(1, client6, front6),
			wantRemote: "[2001:db8::1]:50001", wantLocal: "[2001:db8::2]:8443"},
		{name: "version 2, TCP over IPv4, with TLVs", header: relayed(2, client4, front4, authority, uniqueID),
			wantRemote: "192.0.2.1:50000", wantLocal: "198.51.100.1:443", wantTLVs: []proxyproto.TLV{authority, uniqueID}},
		{name: "version 2, TCP over IPv6", header: relayed(2, client6, front6),
			wantRemote: "[2001:db8::1]:50001", wantLocal: "[2001:db8::2]:8443"},
		{name: "version 2, unix stream addresses", header: relayed(2, clientSun, frontSun),
			wantRemote: "/run/client.sock", wantLocal: "/run/front.sock"},
		{name: "version 1 UNKNOWN keeps the socket's addresses", header: proxyproto.Header{Version: 1, Command: proxyproto.CommandProxy}},
		{name: "version 2 LOCAL keeps the socket's addresses", header: proxyproto.Header{Version: 2, Command: proxyproto.CommandLocal},
			wantLocalCommand: true},
	}
	for _, addr := range listenAddrs(t) {
		t.Run(addr, func(t *testing.T) {
			h := newProxyEcho()
			srv := testutil.StartServer(t, h, addr, server.WithProxyProtocol(server.ProxyRequired), server.WithLoopNum(2))
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					conn := testutil.Dial(t, srv.Addr)
					_, err := conn.Write(testutil.ProxyHeader(t, tc.header))
					require.NoError(t, err)
					expectEcho(t, conn, "hello\n")

					o := h.nextOpening(t)
					require.True(t, o.hasHeader, "ProxyHeader reports the header")
					require.Equal(t, tc.header.Version, o.header.Version)
					require.Equal(t, tc.wantLocalCommand, o.header.Local)
					require.Len(t, o.header.TLVs, len(tc.wantTLVs))
					for _, want := range tc.wantTLVs {
						got, ok := o.header.TLV(byte(want.Type))
						require.True(t, ok, "TLV %#x", want.Type)
						require.Equal(t, want.Value, got)
					}
					if tc.wantRemote != "" {
						require.Equal(t, tc.wantRemote, o.remote.String())
						require.Equal(t, tc.wantLocal, o.local.String())
						return
					}
					require.Nil(t, o.header.Source)
					require.Equal(t, srv.Addr.String(), o.local.String(), "the socket's local address")
					if srv.Addr.Network() != "unix" {
						require.Equal(t, conn.LocalAddr().String(), o.remote.String(), "the socket's peer")
					}
				})
			}
		})
	}
}

func TestHeaderSplitOverManyReadsIsReadAsOneAndOnlyWhatFollowsItReachesTheCodec(t *testing.T) {
	v1 := testutil.ProxyHeader(t, relayed(1, client4, front4))
	v2 := testutil.ProxyHeader(t, relayed(2, client6, front6,
		proxyproto.TLV{Type: proxyproto.TypeAuthority, Value: []byte("example.com")}))
	const payload = "after the header\n"
	cases := []struct {
		name string
		// pieces are written one by one, a short pause between them, then the payload
		// unless it is in the last piece already.
		pieces      [][]byte
		withPayload bool
		wantRemote  string
	}{
		{name: "version 1 and the payload in one write", pieces: [][]byte{append(v1[:len(v1):len(v1)], payload...)},
			withPayload: true, wantRemote: client4.String()},
		{name: "version 1 a byte at a time", pieces: bytewise(v1), wantRemote: client4.String()},
		{name: "version 1 cut between its CR and LF, the payload with the LF",
			pieces: [][]byte{v1[:len(v1)-1], append(v1[len(v1)-1:len(v1):len(v1)], payload...)}, withPayload: true,
			wantRemote: client4.String()},
		{name: "version 2 and the payload in one write", pieces: [][]byte{append(v2[:len(v2):len(v2)], payload...)},
			withPayload: true, wantRemote: client6.String()},
		{name: "version 2 a byte at a time", pieces: bytewise(v2), wantRemote: client6.String()},
		{name: "version 2 cut in its signature, its fixed part and its TLVs",
			pieces: [][]byte{v2[:5], v2[5:14], v2[14:40], v2[40:]}, wantRemote: client6.String()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newProxyEcho()
			// A line codec would echo a version 1 header, a line itself, if it ever saw it.
			srv := testutil.StartServer(t, h, "tcp://127.0.0.1:0", server.WithProxyProtocol(server.ProxyRequired),
				server.WithCodec(codec.NewLineBasedFrameCodec()))
			conn := testutil.Dial(t, srv.Addr)
			for _, piece := range tc.pieces {
				_, err := conn.Write(piece)
				require.NoError(t, err)
				// Room for the loop to read each piece on its own; nothing depends on it.
				time.Sleep(2 * time.Millisecond)
			}
			if tc.withPayload {
				testutil.ExpectRead(t, conn, payload)
			} else {
				expectEcho(t, conn, payload)
			}
			require.Equal(t, tc.wantRemote, h.nextOpening(t).remote.String())
			require.Equal(t, 1, h.Opened(), "connections opened")
		})
	}
}

// bytewise cuts b into pieces of one byte.
func bytewise(b []byte) [][]byte {
	pieces := make([][]byte, len(b))
	for i := range b {
		pieces[i] = b[i : i+1]
	}
	return pieces
}
