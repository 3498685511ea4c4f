//go:build !linux

package main

import (
	"net"
	"time"
)

// udpOffloadSupported: UDP_SEGMENT and UDP_GRO are Linux's; elsewhere -gso and -gro are
// refused.
const udpOffloadSupported = false

// udpSocket is one connected UDP socket of the load, driven by one goroutine: one write per
// datagram, one read per reply, through the runtime's poller.
type udpSocket struct {
	conn *net.UDPConn
	buf  []byte
	n    int
}

// newUDPSocket opens a UDP socket connected to server for datagrams of cfg.size bytes.
func newUDPSocket(cfg config, server *net.UDPAddr) (*udpSocket, error) {
	conn, err := net.DialUDP(cfg.network, nil, server)
	if err != nil {
		return nil, err
	}
	// One byte more than a datagram of the load: a longer reply shows as longer.
	return &udpSocket{conn: conn, buf: make([]byte, cfg.size+1)}, nil
}

// send writes each datagram on its own.
func (s *udpSocket) send(datagrams [][]byte) error {
	for _, d := range datagrams {
		if _, err := s.conn.Write(d); err != nil {
			return err
		}
	}
	return nil
}

// receive waits for one reply, or until the read deadline passes.
func (s *udpSocket) receive() (int, error) {
	n, err := s.conn.Read(s.buf)
	if err != nil {
		return 0, err
	}
	s.n = n
	return 1, nil
}

// message returns the reply the last receive took, a single datagram.
func (s *udpSocket) message(int) (data []byte, segment int) {
	return s.buf[:s.n], s.n
}

// setReadDeadline bounds the wait of the next receives.
func (s *udpSocket) setReadDeadline(t time.Time) error { return s.conn.SetReadDeadline(t) }

// close closes the socket.
func (s *udpSocket) close() error { return s.conn.Close() }
