package api

import "net"

// ProxyHeader is what the PROXY protocol header a connection began with said: the header a
// load balancer (HAProxy's send-proxy and send-proxy-v2, and others) puts before the client's
// first byte to tell the server whom it relays. The engine reads it when the server runs with
// the PROXY protocol on, before OnOpened; Conn.RemoteAddr and LocalAddr then report Source and
// Destination.
type ProxyHeader struct {
	// Version is the protocol version of the header, 1 (text) or 2 (binary).
	Version int
	// Local is set for a version 2 LOCAL header: the proxy opened the connection on its own
	// behalf, a health check for instance. Source and Destination are then nil.
	Local bool
	// Source is the client's address and Destination the address it connected to on the
	// proxy: both *net.TCPAddr for TCP over IPv4 or IPv6 (the common case), both
	// *net.UDPAddr or both *net.UnixAddr when the header says so. Both are nil when the
	// header carries no addresses (LOCAL, a version 1 UNKNOWN line, a version 2 UNSPEC
	// family): the connection's own addresses stand.
	Source, Destination net.Addr
	// TLVs are the version 2 type-length-value extensions in the order received (ALPN,
	// authority, unique ID, SSL, ... and types the engine does not know); nil in version 1.
	// github.com/gnetio/gnet/server/proxyproto names the registered types and decodes the
	// SSL one.
	TLVs []ProxyTLV
}

// ProxyTLV is one type-length-value extension of a version 2 PROXY protocol header.
type ProxyTLV struct {
	// Type is the type byte: 0x01 ALPN, 0x02 authority, 0x05 unique ID, 0x20 SSL, ...
	Type byte
	// Value is the value, copied from the header for this connection: it stays valid as long
	// as the connection value is kept.
	Value []byte
}

// TLV returns the value of the first TLV of type typ, and whether there is one.
func (h ProxyHeader) TLV(typ byte) (value []byte, ok bool) {
	for _, tlv := range h.TLVs {
		if tlv.Type == typ {
			return tlv.Value, true
		}
	}
	return nil, false
}

// ProxyConn is implemented by the engine's stream connections. ProxyHeader returns the PROXY
// protocol header the connection began with; ok is false when it began without one (the
// PROXY protocol is off, or optional and the peer sent none). Call it from a callback on the
// connection's loop; the header does not change once OnOpened has fired.
type ProxyConn interface {
	ProxyHeader() (header ProxyHeader, ok bool)
}

// ProxyHeaderHandler may be implemented by an EventHandler of a server that reads PROXY
// protocol headers, to learn about the connections refused because of theirs. Such a
// connection never opens: OnOpened and OnClosed are not called for it. OnProxyHeaderFailed is
// called instead, once, on the connection's loop, after the connection has been closed: c's
// methods report it closed, and its RemoteAddr and LocalAddr are those of the socket (the
// proxy's side). err says why, and errors.Is matches it against one of ErrProxyHeaderMissing,
// ErrProxyHeaderMalformed, ErrProxyHeaderTooLong, ErrProxyHeaderTruncated and
// ErrProxyHeaderTimeout. A handler without it leaves the engine to log each refusal.
type ProxyHeaderHandler interface {
	OnProxyHeaderFailed(c Conn, err error)
}
