package server

import (
	"crypto/tls"
	"net"
	"sync/atomic"

	"github.com/gnetio/gnet/api"
)

// udpConn is a datagram socket's sender as React sees it: the loop keeps one per recent
// sender (udp_peers.go) and hands it to React with each datagram that sender sends, so that a
// sender that keeps sending costs no allocation. Its address never changes, and it is never
// handed out for another sender, so a handler may keep it after React and answer that sender
// later from any goroutine with SendTo or AsyncWrite. Its inbound bytes (Read, ReadN) are the
// datagram React was called for, valid until React returns; the context is the connection's,
// kept across that sender's datagrams for as long as the loop keeps the connection.
// OnOpened and OnClosed are not called for datagrams.
type udpConn struct {
	el   *eventloop
	ln   *listener
	peer peerAddr
	// raddr is RemoteAddr's value, made at the first call; atomic because a kept connection
	// may be asked from any goroutine.
	raddr atomic.Pointer[net.UDPAddr]
	data  []byte
	ctx   any
}

var (
	_ api.Conn    = (*udpConn)(nil)
	_ api.Flusher = (*udpConn)(nil)
)

func (c *udpConn) Context() any       { return c.ctx }
func (c *udpConn) SetContext(ctx any) { c.ctx = ctx }
func (c *udpConn) LocalAddr() net.Addr {
	return c.ln.addr
}

func (c *udpConn) RemoteAddr() net.Addr {
	if a := c.raddr.Load(); a != nil {
		return a
	}
	// Two goroutines may both make it; either value is right.
	a := c.peer.netAddr()
	c.raddr.Store(a)
	return a
}

func (c *udpConn) Read() []byte      { return c.data }
func (c *udpConn) ResetBuffer()      { c.data = c.data[:0] }
func (c *udpConn) BufferLength() int { return len(c.data) }

func (c *udpConn) ShiftN(n int) int {
	n = max(0, min(n, len(c.data)))
	c.data = c.data[n:]
	return n
}

func (c *udpConn) ReadN(n int) (int, []byte) {
	if n <= 0 || n > len(c.data) {
		return 0, nil
	}
	buf := c.data[:n:n]
	c.data = c.data[n:]
	return n, buf
}

// SendTo sends buf as one datagram to this connection's sender, from any goroutine: it is
// copied into the loop's batch of replies (handed to the loop from another goroutine) and
// sent at the end of the loop's turn; where there is no batch (the BSDs) it is sent at once.
func (c *udpConn) SendTo(buf []byte) error {
	return c.el.sendDatagramTo(c.ln, &c.peer, buf)
}

// AsyncWrite encodes buf with the codec and sends it to the sender.
func (c *udpConn) AsyncWrite(buf []byte) error {
	data, err := c.el.cfg.codec.Encode(c, buf)
	if err != nil {
		return err
	}
	return c.SendTo(data)
}

// WriteNoCodec sends buf as it is to the sender.
func (c *udpConn) WriteNoCodec(buf []byte) error { return c.SendTo(buf) }

// FlushWrite sends buf at once: a datagram is handed to the kernel by the send itself.
func (c *udpConn) FlushWrite(buf []byte, noCodec ...bool) {
	// FlushWrite has no result; WriteAndFlush is for callers that want it.
	_ = c.WriteAndFlush(buf, len(noCodec) > 0 && noCodec[0])
}

// WriteAndFlush sends buf at once and returns the send's error, also on the loop, where the
// replies batched before it are sent first; see api.Flusher.
func (c *udpConn) WriteAndFlush(buf []byte, noCodec bool) error {
	data := buf
	if !noCodec {
		var err error
		if data, err = c.el.cfg.codec.Encode(c, buf); err != nil {
			return err
		}
	}
	return c.el.sendDatagramFlushed(c.ln, &c.peer, data)
}

// AsyncWriteCallback sends buf to the sender as AsyncWrite or WriteNoCodec does, and calls
// callback on the loop with the outcome SendTo returned (on the loop: whether the datagram
// joined the turn's batch); see api.CallbackWriter.
func (c *udpConn) AsyncWriteCallback(buf []byte, noCodec bool, callback api.AsyncCallback) error {
	var err error
	if noCodec {
		err = c.WriteNoCodec(buf)
	} else {
		err = c.AsyncWrite(buf)
	}
	if callback == nil {
		return err
	}
	return c.el.Execute(func() {
		defer c.el.recoverHandler(nil)
		// A datagram connection has nothing to close: the callback's error is dropped.
		_ = callback(c, err)
	})
}

// Wake calls React(nil, c) on the loop.
func (c *udpConn) Wake() error {
	return c.el.trigger(runWakeDatagram, c)
}

func runWakeDatagram(arg any) error {
	c := arg.(*udpConn)
	c.el.reactDatagram(c)
	return nil
}

// Close does nothing: a datagram socket is shared by every sender and closes with the server.
func (c *udpConn) Close() error { return nil }

// UpgradeTls is not possible on datagrams.
func (c *udpConn) UpgradeTls(*tls.Config) error { return ErrNotStream }
