package main

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// udpFaults make the test UDP echo misbehave: every Nth datagram it receives (counted from 1
// over all peers) is dropped, answered twice, answered with a flipped filler byte, or answered
// after delay. Zero turns a fault off.
type udpFaults struct {
	dropEvery      int64
	duplicateEvery int64
	corruptEvery   int64
	delayEvery     int64
	delay          time.Duration
}

// testUDPEcho is the tiny std net UDP echo the load generator is tested against.
type testUDPEcho struct {
	addr     string
	received atomic.Int64
	echoed   atomic.Int64
}

// startTestUDPEcho serves on a loopback UDP port from :0 until the test ends.
func startTestUDPEcho(t *testing.T, faults udpFaults) *testUDPEcho {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	// Room for every datagram a test keeps in flight, the largest ones included.
	require.NoError(t, conn.SetReadBuffer(4<<20))
	s := &testUDPEcho{addr: "udp://" + conn.LocalAddr().String()}

	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 1<<16)
		for {
			n, peer, err := conn.ReadFromUDPAddrPort(buf)
			if err != nil {
				return // the socket closed: the test is over
			}
			nth := s.received.Add(1)
			reply := append([]byte(nil), buf[:n]...)
			switch {
			case hits(nth, faults.dropEvery):
				continue
			case hits(nth, faults.corruptEvery):
				reply[len(reply)-1] ^= 0x20
			case hits(nth, faults.delayEvery):
				wg.Go(func() {
					time.Sleep(faults.delay)
					s.answer(conn, reply, peer)
				})
				continue
			case hits(nth, faults.duplicateEvery):
				s.answer(conn, reply, peer)
			}
			s.answer(conn, reply, peer)
		}
	})
	t.Cleanup(func() {
		require.NoError(t, conn.Close())
		wg.Wait()
	})
	return s
}

// answer sends reply to peer. A failed send is a lost datagram, which UDP allows and the
// load generator counts.
func (s *testUDPEcho) answer(conn *net.UDPConn, reply []byte, peer netip.AddrPort) {
	if _, err := conn.WriteToUDPAddrPort(reply, peer); err == nil {
		s.echoed.Add(1)
	}
}

func hits(nth, every int64) bool { return every > 0 && nth%every == 0 }

// startSilentUDPServer binds a loopback UDP port that never answers.
func startSilentUDPServer(t *testing.T) string {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, conn.Close()) })
	return "udp://" + conn.LocalAddr().String()
}
