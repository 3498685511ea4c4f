package server

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/server/proxyproto"
)

// The PROXY protocol (WithProxyProtocol). A connection accepted by a server that reads headers
// starts in connAwaitingHeader: the loop reads only the header, keeping partial reads in the
// inbound ring, and the parser judges the bytes in hand at every read. Once the header is
// whole its addresses replace the socket's, and the connection is served as if it had just
// been accepted: TLS starts (bytes that came after the header, a ClientHello say, are its
// first records), OnOpened fires, and the rest of the read goes to the codec. A connection
// whose header is refused, or not whole by its deadline (enforced by the sweep), is closed
// without ever opening.

// proxyState is a connection's part of the PROXY protocol.
type proxyState struct {
	// deadline (Unix nanoseconds) is when the header must be whole: the header timeout
	// after the accept.
	deadline int64
	// header is what the header said, once read.
	header api.ProxyHeader
}

// proxyFailedOf returns h's OnProxyHeaderFailed, when it has one.
func proxyFailedOf(h api.EventHandler) api.ProxyHeaderHandler {
	p, _ := h.(api.ProxyHeaderHandler)
	return p
}

// awaitProxyHeader makes the accepted c wait for its header before it is served.
func (el *eventloop) awaitProxyHeader(c *conn) {
	c.state = connAwaitingHeader
	c.ext().proxy = &proxyState{deadline: time.Now().Add(el.cfg.proxyHeaderTimeout).UnixNano()}
}

// readProxyHeader reads what c's socket has while c awaits its header, and serves c once the
// header is whole.
func (el *eventloop) readProxyHeader(c *conn) {
	n, err := readFD(c.fd, el.readBuf)
	switch {
	case errors.Is(err, unix.EAGAIN):
		return
	case err != nil:
		el.refuseProxyHeader(c, fmt.Errorf("%w after %d bytes: %w", ErrProxyHeaderTruncated, c.inbound.Len(), syscallErr("read", err)))
		return
	case n == 0:
		el.refuseProxyHeader(c, fmt.Errorf("%w: end of stream after %d bytes", ErrProxyHeaderTruncated, c.inbound.Len()))
		return
	}
	buffered := el.readBuf[:n]
	if !c.inbound.IsEmpty() {
		if _, err := c.inbound.Write(buffered); err != nil {
			el.closeConn(c, err)
			return
		}
		buffered = c.inbound.Bytes()
	}
	h, size, err := proxyproto.Parse(buffered)
	found := err == nil
	switch {
	case found:
	case errors.Is(err, proxyproto.ErrIncomplete):
		// A header comes whole in one read from any balancer; the ring keeps a partial one
		// (at most proxyproto.DefaultMaxV2Length bytes and one read) until the rest arrives.
		if c.inbound.IsEmpty() {
			if _, err := c.inbound.Write(buffered); err != nil {
				el.closeConn(c, err)
			}
		}
		return
	case errors.Is(err, proxyproto.ErrNotProxy) && el.cfg.ProxyProtocol == ProxyOptional:
		// No header: every byte is the application's.
	default:
		el.refuseProxyHeader(c, refusalOf(err))
		return
	}
	if c.inbound.IsEmpty() {
		c.view = buffered[size:]
	} else {
		c.inbound.Discard(size)
	}
	el.serveAfterProxyHeader(c, h, found)
}

// serveAfterProxyHeader serves c, whose header (found says whether it had one) has been read
// and consumed; the bytes that followed it are buffered.
func (el *eventloop) serveAfterProxyHeader(c *conn, h proxyproto.Header, found bool) {
	x := c.ext()
	if found {
		x.proxy.header = apiProxyHeader(h)
		if h.Source != nil {
			x.raddr, x.laddr = h.Source, h.Destination
		}
	} else {
		x.proxy = nil
	}
	c.state = connOpen
	c.activeSweep = el.sweeps
	el.startServing(c)
	if c.state == connOpen && el.closeSignalled {
		el.signalClose(c) // a graceful stop began while the header was awaited
	}
	if c.tls == nil && c.BufferLength() > 0 {
		// Reacts only while c is open, and keeps the rest of the view, which points into the
		// loop's read buffer, in the ring either way.
		el.decodeBuffered(c)
	}
}

// refuseProxyHeader closes c, which never opened, for err, and tells the handler, or the log.
func (el *eventloop) refuseProxyHeader(c *conn, err error) {
	received := c.inbound.Len()
	c.LocalAddr() // resolved while the descriptor is open: the handler may ask once it is closed
	c.ext().proxy = nil
	el.closeConn(c, err)
	switch {
	case el.proxyFailed != nil:
		el.fireProxyHeaderFailed(c, err)
	case errors.Is(err, ErrProxyHeaderTruncated) && received == 0:
		// A connection that closes without a byte is what a plain TCP health check does.
		el.cfg.logger.Debugf("gnet: loop %d: connection from %v closed before its PROXY protocol header: %v",
			el.idx, c.RemoteAddr(), err)
	default:
		el.cfg.logger.Warnf("gnet: loop %d: refusing connection from %v: %v", el.idx, c.RemoteAddr(), err)
	}
}

// expireProxyHeader refuses c, still awaiting its header, once its deadline has passed.
func (el *eventloop) expireProxyHeader(c *conn, now int64) {
	if now >= c.extra.proxy.deadline {
		el.refuseProxyHeader(c, fmt.Errorf("%w: %d bytes of it within %v",
			ErrProxyHeaderTimeout, c.inbound.Len(), el.cfg.proxyHeaderTimeout))
	}
}

// ProxyHeader returns the PROXY protocol header c began with; see api.ProxyConn.
func (c *conn) ProxyHeader() (api.ProxyHeader, bool) {
	if c.extra == nil || c.extra.proxy == nil || c.state == connAwaitingHeader {
		return api.ProxyHeader{}, false
	}
	return c.extra.proxy.header, true
}

// apiProxyHeader is h as a handler sees it. The parser's addresses and TLV values are copies
// already, which the connection may keep.
func apiProxyHeader(h proxyproto.Header) api.ProxyHeader {
	out := api.ProxyHeader{
		Version:     h.Version,
		Local:       h.Command == proxyproto.CommandLocal,
		Source:      h.Source,
		Destination: h.Destination,
	}
	if len(h.TLVs) > 0 {
		out.TLVs = make([]api.ProxyTLV, len(h.TLVs))
		for i, tlv := range h.TLVs {
			out.TLVs[i] = api.ProxyTLV{Type: byte(tlv.Type), Value: tlv.Value}
		}
	}
	return out
}

// proxyRefusal is the parser's refusal of a header as the handler receives it: errors.Is
// matches both the engine's reason (one of the ErrProxyHeader errors) and the parser's own
// error, and the text is the reason with the parser's detail.
type proxyRefusal struct {
	reason, cause error
	detail        string
}

func (e *proxyRefusal) Error() string   { return e.reason.Error() + ": " + e.detail }
func (e *proxyRefusal) Unwrap() []error { return []error{e.reason, e.cause} }

// refusalOf classifies the parser's err.
func refusalOf(err error) error {
	reason, sentinel := ErrProxyHeaderMalformed, proxyproto.ErrMalformed
	switch {
	case errors.Is(err, proxyproto.ErrNotProxy):
		reason, sentinel = ErrProxyHeaderMissing, proxyproto.ErrNotProxy
	case errors.Is(err, proxyproto.ErrTooLong):
		reason, sentinel = ErrProxyHeaderTooLong, proxyproto.ErrTooLong
	case errors.Is(err, proxyproto.ErrChecksum):
		sentinel = proxyproto.ErrChecksum
	}
	// The parser's errors read "<sentinel>: <detail>".
	detail := strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
	return &proxyRefusal{reason: reason, cause: err, detail: detail}
}
