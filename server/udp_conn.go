package server

import (
	"crypto/tls"
	"net"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
)

// udpConn is one received datagram and its sender, as React sees it. It is created per
// datagram, so a handler may keep it to answer that sender later from any goroutine with
// SendTo or AsyncWrite. Its inbound bytes are the datagram, valid until React returns.
// OnOpened and OnClosed are not called for datagrams.
type udpConn struct {
	el     *eventloop
	ln     *listener
	remote unix.Sockaddr
	raddr  net.Addr
	data   []byte
	ctx    any
	// sendMu serialises SendTo: golang.org/x/sys encodes the address into the Sockaddr value
	// itself on every call, so two goroutines answering the same sender would race on it.
	sendMu sync.Mutex
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
	if c.raddr == nil {
		c.raddr = sockaddrToAddr(c.remote, false)
	}
	return c.raddr
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

// SendTo sends buf as one datagram to this datagram's sender. sendto is atomic per datagram,
// so it is safe from any goroutine without going through the loop.
func (c *udpConn) SendTo(buf []byte) error {
	c.sendMu.Lock()
	err := unix.Sendto(c.ln.fd, buf, 0, c.remote)
	c.sendMu.Unlock()
	if err != nil {
		return syscallErr("sendto", err)
	}
	c.el.stats.framesOut.Add(1)
	c.el.stats.noteSent(len(buf))
	return nil
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

// WriteAndFlush sends buf at once and returns the send's error; see api.Flusher.
func (c *udpConn) WriteAndFlush(buf []byte, noCodec bool) error {
	if noCodec {
		return c.WriteNoCodec(buf)
	}
	return c.AsyncWrite(buf)
}

// AsyncWriteCallback sends buf to the sender at once, as AsyncWrite or WriteNoCodec does, and
// calls callback on the loop with the send's outcome; see api.CallbackWriter.
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
