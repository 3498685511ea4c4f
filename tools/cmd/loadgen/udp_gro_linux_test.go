//go:build linux

package main

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// startTestGROEcho serves a loopback UDP port with UDP_GRO on: a GSO batch of the client
// arrives as one coalesced receive, which it sends back whole as one GSO send of the same
// segment size, so that the client's GRO receive gets it coalesced again. It counts the
// coalesced receives.
func startTestGROEcho(t *testing.T) (addr string, coalesced *atomic.Int64) {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	raw, err := conn.SyscallConn()
	require.NoError(t, err)
	var sockErr error
	require.NoError(t, raw.Control(func(fd uintptr) {
		sockErr = unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 1)
	}))
	require.NoError(t, sockErr)
	coalesced = &atomic.Int64{}

	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 1<<16)
		oob := make([]byte, unix.CmsgSpace(udpGROCmsgLen))
		for {
			n, oobn, _, peer, err := conn.ReadMsgUDPAddrPort(buf, oob)
			if err != nil {
				return // the socket closed: the test is over
			}
			segment := groSegmentSize(oob[:oobn], n)
			var reply []byte
			if segment < n {
				coalesced.Add(1)
				reply = segmentControlMessage(segment)
			}
			// A failed send is a lost datagram, which the client would count.
			_, _, _ = conn.WriteMsgUDPAddrPort(buf[:n], reply, peer)
		}
	})
	t.Cleanup(func() {
		require.NoError(t, conn.Close())
		wg.Wait()
	})
	return "udp://" + conn.LocalAddr().String(), coalesced
}

// segmentControlMessage builds the UDP_SEGMENT control message of a GSO send.
func segmentControlMessage(segment int) []byte {
	b := make([]byte, unix.CmsgSpace(udpSegmentCmsgLen))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(udpSegmentCmsgLen))
	binary.NativeEndian.PutUint16(b[unix.CmsgLen(0):], uint16(segment))
	return b
}

func TestUDPRunSplitsCoalescedRepliesByTheirSegmentSize(t *testing.T) {
	addr, coalesced := startTestGROEcho(t)
	cfg := shortUDPRun(addr, 2, 100, 8)
	cfg.gsoBatch, cfg.gro = 8, true

	r, err := runUDP(t.Context(), cfg, &bytes.Buffer{})
	require.NoError(t, err)

	assert.Zero(t, r.Errors, "errors: %v", r.connErrors)
	assert.Positive(t, r.Messages)
	assert.Zero(t, r.Lost)
	assert.Positive(t, coalesced.Load(), "the client's GSO batches reached the server coalesced")
}

func TestGROSegmentSizeReadsTheControlMessage(t *testing.T) {
	groMessage := make([]byte, unix.CmsgSpace(udpGROCmsgLen))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&groMessage[0]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_GRO
	h.SetLen(unix.CmsgLen(udpGROCmsgLen))
	binary.NativeEndian.PutUint32(groMessage[unix.CmsgLen(0):], 64)

	assert.Equal(t, 64, groSegmentSize(groMessage, 640), "a coalesced receive")
	assert.Equal(t, 640, groSegmentSize(nil, 640), "no control message: one datagram")
	assert.Equal(t, 640, groSegmentSize(segmentControlMessage(64), 640), "another control message")
	assert.Equal(t, 64, groSegmentSize(append(segmentControlMessage(32), groMessage...), 640),
		"the GRO message after another one")
}
