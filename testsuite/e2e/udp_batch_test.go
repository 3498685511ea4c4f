package e2e

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server"
	"github.com/gnetio/gnet/testsuite/internal/testutil"
)

// addressEcho answers every datagram with AsyncWrite, and counts the datagrams whose payload
// does not begin with the address RemoteAddr reports: every client of these tests writes its
// own address first.
type addressEcho struct {
	testutil.Recorder
	reacts      atomic.Int64
	wrongSender atomic.Int64
	// alsoFrom, when set, receives every conn and a copy of its datagram, for answering
	// from another goroutine.
	alsoFrom chan keptDatagram
}

type keptDatagram struct {
	c    api.Conn
	data []byte
}

func (h *addressEcho) React(frame []byte, c api.Conn) api.Action {
	h.reacts.Add(1)
	if len(frame) < 2 || int(binary.BigEndian.Uint16(frame)) > len(frame)-2 ||
		string(frame[2:2+binary.BigEndian.Uint16(frame)]) != c.RemoteAddr().String() {
		h.wrongSender.Add(1)
	}
	_ = c.AsyncWrite(frame) // sent at the end of the turn; an error would show as a missing reply
	if h.alsoFrom != nil {
		h.alsoFrom <- keptDatagram{c: c, data: append([]byte(nil), frame...)}
	}
	return api.None
}

// udpPeer is a client socket on a loopback address of its own (127.0.0.2, 127.0.0.3 …) where
// the system routes the whole of 127.0.0.0/8 to loopback, as Linux does; elsewhere on
// 127.0.0.1 with a port of its own.
func udpPeer(t *testing.T, i int, to net.Addr) *net.UDPConn {
	t.Helper()
	raddr := to.(*net.UDPAddr)
	local := &net.UDPAddr{IP: net.IPv4(127, 0, byte((i+2)>>8), byte(i+2))}
	conn, err := net.DialUDP("udp4", local, raddr)
	if err != nil {
		conn, err = net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, raddr)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() }) // the test is over
	return conn
}

// datagramFor is datagram seq of conn: its address (length first), then seq, then filler up to
// size bytes.
func datagramFor(conn *net.UDPConn, seq uint32, size int) []byte {
	addr := conn.LocalAddr().String()
	b := make([]byte, 0, max(size, 2+len(addr)+4))
	b = binary.BigEndian.AppendUint16(b, uint16(len(addr)))
	b = append(b, addr...)
	b = binary.BigEndian.AppendUint32(b, seq)
	for len(b) < size {
		b = append(b, byte(len(b)))
	}
	return b
}

// seqOf returns the sequence number of a datagram made by datagramFor for conn, or false when
// it is not one.
func seqOf(conn *net.UDPConn, b []byte) (uint32, bool) {
	addr := conn.LocalAddr().String()
	if len(b) < 2+len(addr)+4 || int(binary.BigEndian.Uint16(b)) != len(addr) || string(b[2:2+len(addr)]) != addr {
		return 0, false
	}
	return binary.BigEndian.Uint32(b[2+len(addr):]), true
}

// offloads are the server settings every datagram test runs under: the kernel's coalescing
// on both ways (the default, where the system has it) and off.
var offloads = []struct {
	name string
	opts []server.Option
}{
	{name: "GRO and GSO on", opts: nil},
	{name: "GRO and GSO off", opts: []server.Option{server.WithUDPGRO(false), server.WithUDPGSO(false)}},
}

func TestUDPBurstFromManyPeersIsAnsweredEachToItsSenderOnce(t *testing.T) {
	const (
		peers   = 25
		perPeer = 400 // 10,000 datagrams
		window  = 4   // in flight per peer: 100 in all, well within the server's receive buffer
	)
	for _, tc := range offloads {
		t.Run(tc.name, func(t *testing.T) {
			h := &addressEcho{}
			srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0", append([]server.Option{server.WithLoopNum(1)}, tc.opts...)...)
			conns := make([]*net.UDPConn, peers)
			for i := range conns {
				conns[i] = udpPeer(t, i, srv.Addr)
			}
			errs := make(chan error, peers)
			for _, conn := range conns {
				go func() { errs <- windowedEcho(conn, perPeer, window) }()
			}
			for range peers {
				require.NoError(t, <-errs)
			}
			require.EqualValues(t, peers*perPeer, h.reacts.Load(), "one React per datagram")
			require.Zero(t, h.wrongSender.Load(), "RemoteAddr named another sender")
			// Nothing more arrives: no reply went out twice.
			for _, conn := range conns {
				require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Millisecond)))
				_, err := conn.Read(make([]byte, 64))
				require.ErrorIs(t, err, os.ErrDeadlineExceeded, "an extra datagram arrived")
			}
		})
	}
}

// windowedEcho sends count datagrams on conn, window at a time, and checks that each is
// answered exactly once with its own bytes.
func windowedEcho(conn *net.UDPConn, count, window int) error {
	if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
		return err
	}
	answered := make([]bool, count)
	buf := make([]byte, 256)
	for first := 0; first < count; first += window {
		last := min(first+window, count)
		for seq := first; seq < last; seq++ {
			if _, err := conn.Write(datagramFor(conn, uint32(seq), 64)); err != nil {
				return err
			}
		}
		for range last - first {
			n, err := conn.Read(buf)
			if err != nil {
				return fmt.Errorf("%s waiting for replies %d to %d: %w", conn.LocalAddr(), first, last-1, err)
			}
			seq, ok := seqOf(conn, buf[:n])
			switch {
			case !ok || n != 64:
				return fmt.Errorf("%s got a reply not its own: %q", conn.LocalAddr(), buf[:n])
			case int(seq) < first || int(seq) >= last:
				return fmt.Errorf("%s got a reply to %d outside its window %d to %d", conn.LocalAddr(), seq, first, last-1)
			case answered[seq]:
				return fmt.Errorf("%s got datagram %d answered twice", conn.LocalAddr(), seq)
			}
			answered[seq] = true
		}
	}
	return nil
}

func TestUDPSendToFromOtherGoroutinesDuringABurstReachesEachSender(t *testing.T) {
	const (
		peers   = 8
		perPeer = 200
		workers = 4
	)
	for _, tc := range offloads {
		t.Run(tc.name, func(t *testing.T) {
			h := &addressEcho{alsoFrom: make(chan keptDatagram, peers*perPeer)}
			srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0", append([]server.Option{server.WithLoopNum(1)}, tc.opts...)...)
			var sendErrs atomic.Int64
			var wg sync.WaitGroup
			done := make(chan struct{})
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Each datagram is answered a second time, from here: its first byte
					// flipped so that the client tells the two answers apart.
					for {
						select {
						case kept := <-h.alsoFrom:
							kept.data[len(kept.data)-1] ^= 0xff
							if err := kept.c.SendTo(kept.data); err != nil {
								sendErrs.Add(1)
							}
						case <-done:
							return
						}
					}
				}()
			}
			conns := make([]*net.UDPConn, peers)
			for i := range conns {
				conns[i] = udpPeer(t, i, srv.Addr)
			}
			errs := make(chan error, peers)
			for _, conn := range conns {
				go func() { errs <- twiceAnsweredBurst(conn, perPeer) }()
			}
			for range peers {
				require.NoError(t, <-errs)
			}
			close(done)
			wg.Wait()
			require.Zero(t, sendErrs.Load())
			require.Zero(t, h.wrongSender.Load(), "RemoteAddr named another sender")
		})
	}
}

// twiceAnsweredBurst sends count datagrams on conn, two at a time, and checks that each is
// answered twice: once as sent (by React), once with its last byte flipped (from another
// goroutine).
func twiceAnsweredBurst(conn *net.UDPConn, count int) error {
	if err := conn.SetDeadline(time.Now().Add(testutil.WaitLimit)); err != nil {
		return err
	}
	const window = 2
	seen := make([][2]bool, count)
	buf := make([]byte, 256)
	for first := 0; first < count; first += window {
		last := min(first+window, count)
		for seq := first; seq < last; seq++ {
			if _, err := conn.Write(datagramFor(conn, uint32(seq), 64)); err != nil {
				return err
			}
		}
		for range 2 * (last - first) {
			n, err := conn.Read(buf)
			if err != nil {
				return fmt.Errorf("%s waiting for the answers to %d to %d: %w", conn.LocalAddr(), first, last-1, err)
			}
			seq, ok := seqOf(conn, buf[:n])
			if !ok || n != 64 || int(seq) < first || int(seq) >= last {
				return fmt.Errorf("%s got an answer not to its window: %q", conn.LocalAddr(), buf[:n])
			}
			way := 0
			if buf[n-1] != datagramFor(conn, seq, 64)[n-1] {
				way = 1
			}
			if seen[seq][way] {
				return fmt.Errorf("%s got datagram %d answered twice the same way", conn.LocalAddr(), seq)
			}
			seen[seq][way] = true
		}
	}
	return nil
}

// sizeEcho answers every datagram with SendTo, and answers one whose first byte is 'L' with a
// datagram too large for IPv4 instead, keeping the error.
type sizeEcho struct {
	testutil.Recorder
	tooLarge chan error
}

func (h *sizeEcho) React(frame []byte, c api.Conn) api.Action {
	if len(frame) > 0 && frame[0] == 'L' {
		h.tooLarge <- c.SendTo(make([]byte, 65508))
		return api.None
	}
	_ = c.SendTo(frame) // an error would show as a missing reply
	return api.None
}

func TestUDPDatagramsFromEmptyToTheLargestAreEchoedWhole(t *testing.T) {
	for _, tc := range offloads {
		t.Run(tc.name, func(t *testing.T) {
			h := &sizeEcho{tooLarge: make(chan error, 1)}
			srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0", tc.opts...)
			conn := testutil.Dial(t, srv.Addr)
			buf := make([]byte, 70000)
			for _, size := range []int{0, 1, 1472, 1473, 9000, 65507} {
				msg := make([]byte, size)
				for i := range msg {
					msg[i] = byte(i * 7)
				}
				_, err := conn.Write(msg)
				require.NoError(t, err, "size %d", size)
				n, err := conn.Read(buf)
				require.NoError(t, err, "size %d", size)
				require.Equal(t, msg, buf[:n], "size %d", size)
			}
			// Two of the largest in a row: each is one datagram however replies are batched.
			big := make([]byte, 65507)
			for range 2 {
				_, err := conn.Write(big)
				require.NoError(t, err)
			}
			for range 2 {
				n, err := conn.Read(buf)
				require.NoError(t, err)
				require.Equal(t, len(big), n)
			}
			_, err := conn.Write([]byte("L"))
			require.NoError(t, err)
			select {
			case err := <-h.tooLarge:
				require.ErrorIs(t, err, syscall.EMSGSIZE)
			case <-time.After(testutil.WaitLimit):
				t.Fatal("the datagram asking for a too large reply was not seen")
			}
		})
	}
}

// slowEcho answers each datagram after a little work, so that a flood outruns it.
type slowEcho struct {
	testutil.Recorder
	reacts atomic.Int64
}

func (h *slowEcho) React(frame []byte, c api.Conn) api.Action {
	h.reacts.Add(1)
	deadline := time.Now().Add(5 * time.Microsecond)
	for time.Now().Before(deadline) {
		runtime.Gosched()
	}
	_ = c.AsyncWrite(frame) // nobody waits for these replies
	return api.None
}

func TestUDPFloodFasterThanTheLoopDrainsKeepsMemoryBoundedAndTheServerAnswering(t *testing.T) {
	for _, tc := range offloads {
		t.Run(tc.name, func(t *testing.T) {
			h := &slowEcho{}
			srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0", append([]server.Option{server.WithLoopNum(1)}, tc.opts...)...)
			before := heapInUse()
			const (
				flooders = 4
				each     = 20000
			)
			var wg sync.WaitGroup
			for i := range flooders {
				conn := udpPeer(t, i, srv.Addr)
				wg.Add(1)
				go func() {
					defer wg.Done()
					msg := datagramFor(conn, 0, 1400)
					for range each {
						// A full socket buffer refuses some; the flood goes on regardless.
						_, _ = conn.Write(msg)
					}
				}()
			}
			wg.Wait()
			grown := int64(heapInUse()) - int64(before)
			require.Less(t, grown, int64(32<<20), "the heap grew by %d bytes during the flood", grown)
			require.Less(t, h.reacts.Load(), int64(flooders*each), "the flood never outran the loop")
			t.Logf("%d datagrams offered, %d reached React, heap grew by %d bytes", flooders*each, h.reacts.Load(), grown)

			// Once the flood is over, a new sender is answered.
			conn := udpPeer(t, flooders, srv.Addr)
			require.NoError(t, conn.SetDeadline(time.Now().Add(testutil.WaitLimit)))
			buf := make([]byte, 2048)
			var got error = errors.New("no answer")
			for attempt := 0; attempt < 50 && got != nil; attempt++ {
				_, err := conn.Write(datagramFor(conn, 1, 64))
				require.NoError(t, err)
				require.NoError(t, conn.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
				n, err := conn.Read(buf)
				if err == nil {
					if seq, ok := seqOf(conn, buf[:n]); ok && seq == 1 {
						got = nil
					}
				}
			}
			require.NoError(t, got, "the server stopped answering after the flood")
		})
	}
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func TestUDPSendToWithAConnKeptPastTheServersStopIsRefusedWithErrServerShutdown(t *testing.T) {
	h := &datagramAnswerer{conns: make(chan api.Conn, 1)}
	srv := testutil.StartServer(t, h, "udp4://127.0.0.1:0")
	conn := testutil.Dial(t, srv.Addr)
	_, err := conn.Write([]byte("remember me"))
	require.NoError(t, err)
	expectDatagram(t, conn, "1:remember me")
	kept := <-h.conns
	srv.Close()
	require.ErrorIs(t, kept.SendTo([]byte("too late")), server.ErrServerShutdown)
}
