package clienttest

import (
	"bytes"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A dialed UDP connection is a connected socket: the kernel turns the ICMP port-unreachable
// that answers a datagram to a port nobody serves into ECONNREFUSED on it. The connection ends
// with that error in OnClosed, and a connection of the same client to a live server is served
// on as before.
func TestUDPDialedToAPortNobodyServesEndsWithConnectionRefusedAndOthersCarryOn(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	deadAddr := pc.LocalAddr().String()
	require.NoError(t, pc.Close()) // the port is free now: nobody serves it

	liveAddr := startEcho(t, "udp4://127.0.0.1:0")
	rec := newRecorder()
	cm := startClient(t, rec)

	dead, err := cm.Dial("udp4", deadAddr)
	require.NoError(t, err, "connecting a UDP socket sends nothing, so it succeeds")
	live, err := cm.Dial("udp4", liveAddr.String())
	require.NoError(t, err)

	// Each datagram to the dead port draws an ICMP error; one is enough, more cover a lost one.
	var closeErr error
	deadline := time.After(10 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
waiting:
	for {
		select {
		case closeErr = <-rec.closed:
			break waiting
		case <-tick.C:
			if err := dead.AsyncWrite([]byte("anyone there?")); err != nil {
				continue // closed meanwhile: OnClosed is on its way
			}
		case <-deadline:
			t.Fatal("the connection to a port nobody serves was never closed")
		}
	}
	require.ErrorIs(t, closeErr, syscall.ECONNREFUSED, "OnClosed reports the ICMP error")

	msg := []byte("still here")
	require.NoError(t, live.AsyncWrite(msg))
	require.Eventually(t, func() bool { return bytes.Equal(rec.bytesFor(live), msg) },
		5*time.Second, 5*time.Millisecond, "the live connection was not served after the other's error")
	select {
	case err := <-rec.closed:
		t.Fatalf("another connection closed too: %v", err)
	default:
	}
}
