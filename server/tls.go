package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/buffer"
)

// tlsLayer is a connection's TLS state. The loop owns it; the handshake goroutine touches only
// conn and the transport.
type tlsLayer struct {
	conn        *tls.Conn
	tr          *tlsTransport
	established bool // the handshake completed; the loop encrypts and decrypts
	closeSent   bool // close_notify is queued
	// pending holds plaintext written before the handshake completed.
	pending buffer.Outbound
}

// holdsPlaintext reports whether plaintext written to c waits for its TLS handshake to
// complete before it can be encrypted.
func (c *conn) holdsPlaintext() bool {
	return c.tls != nil && !c.tls.established && !c.tls.pending.IsEmpty()
}

// startTLS puts c under TLS: bytes still buffered are taken as TLS records, and the handshake
// starts on its own goroutine. Only the loop calls it.
func (el *eventloop) startTLS(c *conn, cfg *tls.Config, isClient bool) error {
	switch {
	case cfg == nil:
		return fmt.Errorf("%w: nil tls.Config", ErrInvalidOption)
	case c.datagram:
		return ErrNotStream
	case c.tls != nil:
		return ErrTLSActive
	case c.state != connOpen && c.state != connConnecting:
		return ErrConnClosed
	}
	t := &tlsLayer{tr: newTLSTransport(c)}
	if isClient {
		t.conn = tls.Client(t.tr, cfg)
	} else {
		t.conn = tls.Server(t.tr, cfg)
	}
	c.tls = t
	// Whatever follows the frame that asked for the upgrade is already TLS.
	if len(c.view) > 0 {
		t.tr.feed(c.view)
		c.view = c.view[:0]
	}
	if !c.inbound.IsEmpty() {
		t.tr.feed(c.inbound.Bytes())
		c.inbound.Reset()
	}
	el.srv.handshake(c, t)
	return nil
}

// handshake runs t's handshake on its own goroutine, at most handshakeSlots at a time, bounded
// by the handshake timeout, and hands the outcome back to c's loop.
func (s *server) handshake(c *conn, t *tlsLayer) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.tlsHandshakeTimeout)
		defer cancel()
		var err error
		select {
		case s.handshakeSlots <- struct{}{}:
			// crypto/tls closes the transport when ctx ends, which wakes a blocked read.
			err = t.conn.HandshakeContext(ctx)
			<-s.handshakeSlots
		case <-ctx.Done():
			err = ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w after %v", ErrTLSHandshakeTimeout, s.cfg.tlsHandshakeTimeout)
		} else if err != nil {
			err = fmt.Errorf("gnet: tls handshake: %w", err)
		}
		// Fails only when the loop has stopped, which has closed c already.
		op := newConnOp(c, opHandshakeDone)
		op.layer, op.err = t, err
		_ = c.el.post(op)
	}()
}

// handshakeSlotsFor is how many handshakes may run at once: enough to keep every core busy
// with the public-key work while the others wait for their peers.
func handshakeSlotsFor() int { return max(64, 32*runtime.GOMAXPROCS(0)) }

// finishHandshake carries out the outcome err of t's handshake on c's loop: c switches to
// established TLS, the plaintext held for the handshake is encrypted and queued, and the bytes
// that followed the handshake are decrypted; or c closes with err.
func (el *eventloop) finishHandshake(c *conn, t *tlsLayer, err error) {
	el.stats.noteHandshake(err)
	if c.retired() || c.tls != t {
		return
	}
	if err != nil {
		el.requestClose(c, err, true)
		return
	}
	t.established = true
	t.tr.nonBlocking()
	for !t.pending.IsEmpty() {
		chunks := t.pending.Peek(el.iovs[:0], 0)
		for _, chunk := range chunks {
			if _, err := t.conn.Write(chunk); err != nil {
				el.requestClose(c, fmt.Errorf("gnet: tls: %w", err), true)
				return
			}
			t.pending.Discard(len(chunk))
		}
	}
	t.pending.Reset()
	el.plaintextEncrypted(c)
	if (c.state == connClosing && !c.discardOutput) || c.writes == writeShutPending {
		el.sendCloseNotify(c)
	}
	el.decrypt(c)
}

// readTLS hands n bytes read from c's socket to its TLS layer. At end of file it stops reading
// and closes the transport instead of the connection: crypto/tls then reports what the last
// bytes meant — the peer's alert or a handshake failure on the handshake goroutine, which
// closes the connection with that error; a clean end (close_notify or a record boundary) or a
// truncated record once established.
func (el *eventloop) readTLS(c *conn, n int) {
	t := c.tls
	if n == 0 {
		// Stop reading: the socket would report end of file at every turn.
		el.blockReads(c, peerFinished)
		_ = t.tr.Close()
	} else {
		t.tr.feed(el.readBuf[:n])
	}
	if t.established {
		el.decrypt(c)
	}
}

// decrypt turns the ciphertext the transport holds into plaintext and hands whole frames to
// React.
func (el *eventloop) decrypt(c *conn) {
	t := c.tls
	peerDone := false
	if el.tlsBuf == nil {
		// One TLS record holds at most 16 KiB of plaintext.
		el.tlsBuf = make([]byte, 16<<10)
	}
	for c.state == connOpen {
		n, err := t.conn.Read(el.tlsBuf)
		if n > 0 {
			if _, werr := c.inbound.Write(el.tlsBuf[:n]); werr != nil {
				el.requestClose(c, werr, true)
				return
			}
		}
		if err == nil {
			continue
		}
		switch {
		case errors.Is(err, errWouldBlock):
		case errors.Is(err, io.EOF):
			// close_notify: the peer is done sending. Answer what is buffered first.
			peerDone = true
		default:
			el.requestClose(c, fmt.Errorf("gnet: tls: %w", err), true)
			return
		}
		break
	}
	if !c.inbound.IsEmpty() {
		el.decodeAndReact(c)
	}
	if !c.retired() && c.inbound.IsEmpty() {
		c.inbound.Release()
	}
	if peerDone {
		el.peerEnded(c)
	}
}

// encrypt is the TLS branch of the write funnel (queueOutput): plaintext is encrypted at once
// when the handshake is done, its records queued by the TLS connection through the transport;
// until then it is held, up to the outbound limit.
func (el *eventloop) encrypt(c *conn, data []byte) error {
	t := c.tls
	if len(data) == 0 {
		return nil
	}
	if !t.established {
		if t.pending.Len()+len(data) > el.cfg.MaxOutbound {
			err := fmt.Errorf("%w: %d bytes held until the TLS handshake completes", ErrOutboundLimit, t.pending.Len()+len(data))
			el.requestClose(c, err, true)
			return err
		}
		_, err := t.pending.Write(data)
		return err
	}
	if _, err := t.conn.Write(data); err != nil {
		err = fmt.Errorf("gnet: tls: %w", err)
		el.requestClose(c, err, true)
		return err
	}
	return nil
}

// sendCloseNotify queues the TLS close_notify alert, once, so that the peer can tell a clean
// close from a truncation.
func (el *eventloop) sendCloseNotify(c *conn) {
	t := c.tls
	if t == nil || !t.established || t.closeSent {
		return
	}
	t.closeSent = true
	// An error means the alert could not be queued; the connection closes either way.
	_ = t.conn.CloseWrite()
}

// UpgradeTls switches c to TLS as server, in place (STARTTLS).
func (c *conn) UpgradeTls(cfg *tls.Config) error {
	if c.closed.Load() {
		return ErrConnClosed
	}
	if c.el.onLoop() {
		return c.el.startTLS(c, cfg, false)
	}
	op := newConnOp(c, opUpgradeTLS)
	op.tlsConfig = cfg
	return c.el.post(op)
}

// ConnectionState returns the negotiated TLS parameters once the handshake has completed.
func (c *conn) ConnectionState() (tls.ConnectionState, bool) {
	if c.tls == nil || !c.tls.established {
		return tls.ConnectionState{}, false
	}
	return c.tls.conn.ConnectionState(), true
}

var _ api.TLSConn = (*conn)(nil)

// clientTLSConfig returns cfg with ServerName taken from the dialed address when cfg has none,
// as tls.Dial does.
func clientTLSConfig(cfg *tls.Config, address string) *tls.Config {
	if cfg.ServerName != "" {
		return cfg
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	cfg = cfg.Clone()
	cfg.ServerName = host
	return cfg
}
