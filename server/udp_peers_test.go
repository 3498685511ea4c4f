package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Senders that differ only in their port (many sockets of one host, the usual client) and hosts
// that share a port each keep their datagram connection: the table's hash spreads both, so that
// none pushes another out and the loop allocates nothing for a sender that keeps sending.
func TestDatagramSendersOfOneHostOrOnePortKeepTheirConnections(t *testing.T) {
	el := &eventloop{dgram: new(datagramLoop)}
	ln := &listener{}
	var peers []peerAddr
	for port := range 64 {
		p := peerAddr{port: uint16(40000 + port)}
		copy(p.ip[:4], []byte{127, 0, 0, 1})
		peers = append(peers, p)
	}
	for host := range 64 {
		p := peerAddr{port: 9000}
		copy(p.ip[:4], []byte{10, 0, byte(host >> 8), byte(host)})
		peers = append(peers, p)
	}
	v6 := peerAddr{port: 9000, v6: true}
	v6.ip[15] = 1
	peers = append(peers, v6)

	first := make([]*udpConn, len(peers))
	for i := range peers {
		first[i] = el.connFor(ln, &peers[i])
	}
	for round := range 3 {
		for i := range peers {
			require.Same(t, first[i], el.connFor(ln, &peers[i]),
				"round %d: sender %d lost its connection to another sender", round, i)
		}
	}
}
