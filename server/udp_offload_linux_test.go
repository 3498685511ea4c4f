//go:build linux

package server

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
)

// datagramEcho answers every datagram with AsyncWrite.
type datagramEcho struct {
	api.EventServer
	started chan api.Server
}

func (h *datagramEcho) OnInitComplete(s api.Server) api.Action { h.started <- s; return api.None }

func (h *datagramEcho) React(frame []byte, c api.Conn) api.Action {
	_ = c.AsyncWrite(frame) // an error would show as a missing reply
	return api.None
}

// warnings keeps what the server logs at warning level.
type warnings struct {
	discardLogger
	mu    sync.Mutex
	lines []string
}

func (w *warnings) Warnf(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, fmt.Sprintf(format, args...))
}

// count returns how many warnings contain substr.
func (w *warnings) count(substr string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, l := range w.lines {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

// startDatagramEcho serves datagramEcho on one loop and returns its address; it is closed when
// the test ends.
func startDatagramEcho(t *testing.T, logger api.Logger) net.Addr {
	t.Helper()
	h := &datagramEcho{started: make(chan api.Server, 1)}
	require.NoError(t, Serve(h, "udp4://127.0.0.1:0", WithBlock(false), WithLoopNum(1), WithLogger(logger)))
	srv := <-h.started
	t.Cleanup(srv.Close)
	return srv.Addr
}

// sendSegmentBatch sends perSend datagrams of size bytes, numbered from first, as one
// UDP_SEGMENT send on conn, so that the server reads them in one turn and answers them in one
// batch.
func sendSegmentBatch(t *testing.T, conn *net.UDPConn, first, perSend, size int) {
	t.Helper()
	payload := make([]byte, 0, perSend*size)
	for i := range perSend {
		payload = append(payload, bytes.Repeat([]byte{byte(first + i)}, size)...)
	}
	oob := make([]byte, unix.CmsgSpace(2))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level, h.Type = unix.SOL_UDP, unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	binary.NativeEndian.PutUint16(oob[unix.CmsgLen(0):], uint16(size))
	_, _, err := conn.WriteMsgUDP(payload, oob, nil)
	require.NoError(t, err)
}

// expectEachOnce reads count datagrams of size bytes from conn, numbered from first, each once
// and on its own (the client does not ask for UDP_GRO, so the kernel splits any run).
func expectEachOnce(t *testing.T, conn *net.UDPConn, first, count, size int) {
	t.Helper()
	seen := make(map[byte]bool, count)
	buf := make([]byte, 1<<16)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second)))
	for range count {
		n, err := conn.Read(buf)
		require.NoError(t, err)
		require.Equal(t, size, n)
		id := buf[0]
		require.True(t, int(id) >= first && int(id) < first+count && !seen[id], "unexpected reply %d", id)
		require.Equal(t, bytes.Repeat([]byte{id}, size), buf[:n])
		seen[id] = true
	}
}

func TestUDPOffloadsTheSocketRefusesAreLoggedOnceAndDatagramsServedWithout(t *testing.T) {
	refuseUDPOffload.Store(true)
	t.Cleanup(func() { refuseUDPOffload.Store(false) })
	logged := &warnings{}
	addr := startDatagramEcho(t, logged)
	conn, err := net.DialUDP("udp4", nil, addr.(*net.UDPAddr))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() }) // the test is over
	for b := range 3 {
		sendSegmentBatch(t, conn, b*8, 8, 100)
		expectEachOnce(t, conn, b*8, 8, 100)
	}
	require.Equal(t, 1, logged.count("UDP_GRO"), "warnings: %q", logged.lines)
	require.Equal(t, 1, logged.count("UDP_SEGMENT"), "warnings: %q", logged.lines)
}

func TestUDPSegmentSendTheKernelRefusesIsResentOneByOne(t *testing.T) {
	cases := []struct {
		name     string
		errno    unix.Errno
		warnings int
	}{
		// EIO: the device cannot segment; the first refusal turns segmentation off, with one
		// warning however many runs follow.
		{name: "EIO", errno: unix.EIO, warnings: 1},
		// EINVAL: segments too large for the route; quietly not segmented again at that size.
		{name: "EINVAL", errno: unix.EINVAL, warnings: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			failGSOSends.Store(uint32(tc.errno))
			t.Cleanup(func() { failGSOSends.Store(0) })
			logged := &warnings{}
			addr := startDatagramEcho(t, logged)
			conn, err := net.DialUDP("udp4", nil, addr.(*net.UDPAddr))
			require.NoError(t, err)
			t.Cleanup(func() { _ = conn.Close() }) // the test is over
			for b := range 5 {
				sendSegmentBatch(t, conn, b*8, 8, 100)
				expectEachOnce(t, conn, b*8, 8, 100)
			}
			require.Equal(t, tc.warnings, logged.count("UDP_SEGMENT send"), "warnings: %q", logged.lines)
			require.Zero(t, logged.count("dropped"), "warnings: %q", logged.lines)
		})
	}
}
