//go:build linux

package e2e

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// frameSizeEcho answers every datagram with AsyncWrite and keeps the largest frame React saw.
type frameSizeEcho struct {
	testutil.Recorder
	reacts   atomic.Int64
	maxFrame atomic.Int64
}

func (h *frameSizeEcho) React(frame []byte, c api.Conn) api.Action {
	h.reacts.Add(1)
	for {
		seen := h.maxFrame.Load()
		if int64(len(frame)) <= seen || h.maxFrame.CompareAndSwap(seen, int64(len(frame))) {
			break
		}
	}
	_ = c.AsyncWrite(frame) // an error would show as a missing reply
	return api.None
}

// offloadClient is a connected UDP socket that sends in UDP_SEGMENT batches and receives with
// UDP_GRO, as a QUIC stack does.
type offloadClient struct {
	conn *net.UDPConn
	buf  []byte
	oob  []byte
}

func newOffloadClient(t *testing.T, to net.Addr) *offloadClient {
	t.Helper()
	conn, err := net.DialUDP("udp4", nil, to.(*net.UDPAddr))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() }) // the test is over
	raw, err := conn.SyscallConn()
	require.NoError(t, err)
	var optErr error
	require.NoError(t, raw.Control(func(fd uintptr) {
		optErr = unix.SetsockoptInt(int(fd), unix.SOL_UDP, unix.UDP_GRO, 1)
	}))
	if optErr != nil {
		t.Skipf("UDP_GRO is not available here: %v", optErr)
	}
	require.NoError(t, conn.SetDeadline(time.Now().Add(testutil.WaitLimit)))
	return &offloadClient{conn: conn, buf: make([]byte, 1<<16), oob: make([]byte, 64)}
}

// sendBatch sends datagrams, all of one size, as one UDP_SEGMENT send.
func (c *offloadClient) sendBatch(t *testing.T, datagrams [][]byte) {
	t.Helper()
	oob := make([]byte, unix.CmsgSpace(2))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level, h.Type = unix.SOL_UDP, unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	binary.NativeEndian.PutUint16(oob[unix.CmsgLen(0):], uint16(len(datagrams[0])))
	_, _, err := c.conn.WriteMsgUDP(bytes.Join(datagrams, nil), oob, nil)
	require.NoError(t, err)
}

// receive reads one receive and returns the datagrams in it: more than one when the kernel
// coalesced them.
func (c *offloadClient) receive(t *testing.T) [][]byte {
	t.Helper()
	n, oobn, _, _, err := c.conn.ReadMsgUDP(c.buf, c.oob)
	require.NoError(t, err)
	segment := n
	msgs, err := unix.ParseSocketControlMessage(c.oob[:oobn])
	require.NoError(t, err)
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_UDP && m.Header.Type == unix.UDP_GRO && len(m.Data) >= 4 {
			segment = int(binary.NativeEndian.Uint32(m.Data))
		}
	}
	var out [][]byte
	for off := 0; off < n || off == 0; off += max(segment, 1) {
		out = append(out, append([]byte(nil), c.buf[off:min(off+segment, n)]...))
		if n == 0 {
			break
		}
	}
	return out
}

func TestUDPSegmentBatchesAreSplitBeforeReactAndRepliesLeaveCoalescedWithGSO(t *testing.T) {
	cases := []struct {
		name          string
		opts          []server.Option
		wantCoalesced bool
	}{
		{name: "GRO and GSO on", wantCoalesced: true},
		{name: "GRO off, GSO on", opts: []server.Option{server.WithUDPGRO(false)}, wantCoalesced: true},
		{name: "GRO on, GSO off", opts: []server.Option{server.WithUDPGSO(false)}},
		{name: "GRO and GSO off", opts: []server.Option{server.WithUDPGRO(false), server.WithUDPGSO(false)}},
	}
	const (
		batches = 20
		perSend = 8
		size    = 64
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := &frameSizeEcho{}
			srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0", append([]server.Option{server.WithLoopNum(1)}, tc.opts...)...)
			client := newOffloadClient(t, srv.Addr)
			coalesced := 0
			for b := range batches {
				sent := make(map[string]bool, perSend)
				datagrams := make([][]byte, perSend)
				for i := range datagrams {
					datagrams[i] = bytes.Repeat([]byte{byte(b), byte(i)}, size/2)
					sent[string(datagrams[i])] = true
				}
				client.sendBatch(t, datagrams)
				for len(sent) > 0 {
					run := client.receive(t)
					if len(run) > 1 {
						coalesced++
					}
					for _, d := range run {
						require.True(t, sent[string(d)], "batch %d: a reply not sent or answered twice: %x", b, d)
						delete(sent, string(d))
					}
				}
			}
			require.EqualValues(t, batches*perSend, h.reacts.Load(), "one React per datagram")
			require.EqualValues(t, size, h.maxFrame.Load(), "React saw a coalesced run")
			if tc.wantCoalesced {
				require.Positive(t, coalesced, "no reply run left as one UDP_SEGMENT send")
			} else {
				require.Zero(t, coalesced, "replies left coalesced with GSO off")
			}
		})
	}
}
