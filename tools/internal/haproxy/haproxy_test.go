package haproxy

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
)

// seen is what the handler saw of one connection when it opened.
type seen struct {
	remote, local string
	header        api.ProxyHeader
	hasHeader     bool
}

// recordingEcho echoes every frame and keeps what OnOpened saw of every connection, and every
// header refused.
type recordingEcho struct {
	api.EventServer
	mu      sync.Mutex
	opened  []seen
	refused []error
}

func (h *recordingEcho) OnOpened(c api.Conn) ([]byte, api.Action) {
	header, ok := c.(api.ProxyConn).ProxyHeader()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.opened = append(h.opened, seen{remote: c.RemoteAddr().String(), local: c.LocalAddr().String(), header: header, hasHeader: ok})
	return nil, api.None
}

func (h *recordingEcho) React(frame []byte, c api.Conn) api.Action {
	if err := c.AsyncWrite(frame); err != nil {
		return api.Close
	}
	return api.None
}

func (h *recordingEcho) OnProxyHeaderFailed(_ api.Conn, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.refused = append(h.refused, err)
}

// openedFrom returns what OnOpened saw of the connection whose remote address was remote.
func (h *recordingEcho) openedFrom(remote string) (seen, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.opened {
		if s.remote == remote {
			return s, true
		}
	}
	return seen{}, false
}

// openedAt returns how many connections opened with local as their LocalAddr.
func (h *recordingEcho) openedAt(local string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.opened {
		if s.local == local {
			n++
		}
	}
	return n
}

// refusals returns the headers refused so far.
func (h *recordingEcho) refusals() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]error(nil), h.refused...)
}

func TestServerBehindHAProxySeesTheClientsRealAddressWithSendProxyAndSendProxyV2(t *testing.T) {
	Require(t)
	cases := []struct {
		name string
		// serverOptions follow "server s ADDR" in the backend.
		serverOptions string
		wantVersion   int
		// wantUniqueID is the PP2_TYPE_UNIQUE_ID TLV's value for a client at the given
		// address, "" when HAProxy sends none.
		wantUniqueID func(client string) string
	}{
		{name: "send-proxy", serverOptions: "send-proxy", wantVersion: 1},
		{name: "send-proxy-v2", serverOptions: "send-proxy-v2", wantVersion: 2},
		{name: "send-proxy-v2 with a checksum and a unique id", serverOptions: "send-proxy-v2 proxy-v2-options crc32c,unique-id",
			wantVersion: 2, wantUniqueID: func(client string) string { return "conn-" + client }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := new(recordingEcho)
			ready := make(chan api.Server, 1)
			srvAddr := serveInBackground(t, h, ready)
			// Health checks every 100 ms carry a header too, naming no client (version 2
			// sends LOCAL, version 1 the check's own socket): the server must take them, and
			// must never refuse one.
			proxy := Start(t, Config{
				Frontend: "unique-id-format conn-%ci:%cp",
				Backend:  fmt.Sprintf("server s %s %s check inter 100ms rise 1 fall 2", srvAddr, tc.serverOptions),
			})
			proxy.WaitStatus(t, "s", "UP")

			const clients = 5
			for i := range clients {
				conn, err := net.DialTimeout("tcp", proxy.Addr.String(), waitLimit)
				require.NoError(t, err)
				require.NoError(t, conn.SetDeadline(time.Now().Add(waitLimit)))
				msg := fmt.Sprintf("hello from client %d\n", i)
				_, err = conn.Write([]byte(msg))
				require.NoError(t, err)
				got := make([]byte, len(msg))
				_, err = io.ReadFull(conn, got)
				require.NoError(t, err)
				require.Equal(t, msg, string(got), "the header never reaches the codec")

				client := conn.LocalAddr().String()
				s, ok := h.openedFrom(client)
				require.True(t, ok, "no connection opened from the client's address %s", client)
				require.True(t, s.hasHeader)
				require.Equal(t, tc.wantVersion, s.header.Version)
				require.Equal(t, proxy.Addr.String(), s.local, "LocalAddr is the address the client reached")
				if tc.wantUniqueID != nil {
					id, ok := s.header.TLV(0x05)
					require.True(t, ok, "a unique-id TLV")
					require.Equal(t, tc.wantUniqueID(client), string(id))
				}
				require.NoError(t, conn.Close())
			}
			require.Eventually(t, func() bool { return h.openedAt(srvAddr) > 0 }, waitLimit, 10*time.Millisecond,
				"HAProxy's health checks opened with a header that names the server's own address")
			require.Empty(t, h.refusals(), "headers refused")
		})
	}
}

// serveInBackground serves h with the PROXY protocol required on a loopback port and returns
// the address; the server stops when the test ends.
func serveInBackground(t *testing.T, h *recordingEcho, ready chan api.Server) string {
	t.Helper()
	starter := &readyEcho{recordingEcho: h, ready: ready}
	require.NoError(t, server.Serve(starter, "tcp://127.0.0.1:0", server.WithBlock(false), server.WithLoopNum(2),
		server.WithProxyProtocol(server.ProxyRequired), server.WithLogger(quietLogger{})))
	srv := <-ready
	t.Cleanup(srv.Close)
	return srv.Addr.String()
}

// readyEcho hands the started server over.
type readyEcho struct {
	*recordingEcho
	ready chan api.Server
}

func (h *readyEcho) OnInitComplete(srv api.Server) api.Action {
	h.ready <- srv
	return api.None
}

// quietLogger drops the engine's logs: what matters reaches the handler.
type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
