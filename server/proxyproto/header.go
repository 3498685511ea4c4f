package proxyproto

import "net"

// Command says whether a header relays a connection (CommandProxy) or describes the
// proxy's own connection (CommandLocal, such as a health check). Its values are those of
// the low four bits of a version 2 header's 13th byte.
type Command uint8

const (
	// CommandLocal: the proxy opened the connection on its own behalf; use the
	// connection's real addresses. Only version 2 has it.
	CommandLocal Command = 0x0
	// CommandProxy: the connection is relayed for the client the header names (or, where the
	// header carries no addresses, for one it could not describe).
	CommandProxy Command = 0x1
)

// Transport is the relayed connection's socket type. Its values are those of the low four
// bits of a version 2 header's 14th byte.
type Transport uint8

const (
	// TransportUnspec: not said; the header carries no addresses.
	TransportUnspec Transport = 0x0
	// TransportStream: SOCK_STREAM (TCP, or a Unix stream socket).
	TransportStream Transport = 0x1
	// TransportDatagram: SOCK_DGRAM (UDP, or a Unix datagram socket).
	TransportDatagram Transport = 0x2
)

// Header is what a PROXY protocol header says about the relayed connection.
//
// Source and Destination are both nil exactly when the receiver must use the connection's
// real addresses: a version 2 LOCAL header, a version 1 UNKNOWN line, a version 2 header of
// family or transport UNSPEC. Otherwise both are *net.TCPAddr (TransportStream over IPv4 or
// IPv6), both *net.UDPAddr (TransportDatagram over IPv4 or IPv6) or both *net.UnixAddr (Net
// "unix" or "unixgram"). Source is the client's address, Destination the address it
// connected to on the proxy.
//
// A Header that Parse returned shares no memory with the buffer it was parsed from: the
// addresses and TLV values are copies, so it may be kept for the connection's lifetime after
// the buffer is consumed or reused.
type Header struct {
	// Version is 1 or 2.
	Version int
	// Command is CommandProxy for every version 1 header.
	Command Command
	// Transport is TransportUnspec when the addresses are nil.
	Transport Transport
	// Source and Destination are nil or both of the same kind, as described above.
	Source      net.Addr
	Destination net.Addr
	// TLVs are the version 2 TLVs in the order received, PP2_TYPE_NOOP and PP2_TYPE_CRC32C
	// included (the checksum was verified), unknown types kept as they came. Nil in version 1
	// and when there are none.
	TLVs []TLV
}

// Lookup returns the value of the first TLV of type t, and whether there is one.
func (h *Header) Lookup(t TLVType) ([]byte, bool) {
	return lookup(h.TLVs, t)
}

// SSL decodes the first PP2_TYPE_SSL TLV. It returns false when there is none, or, for a
// Header built by hand, when its value is malformed; Parse refuses a header whose SSL TLV is
// malformed. The sub-TLVs' values share memory with h's TLV.
func (h *Header) SSL() (SSL, bool) {
	v, ok := h.Lookup(TypeSSL)
	if !ok {
		return SSL{}, false
	}
	s, err := decodeSSL(v)
	return s, err == nil
}

// DecodeSSL decodes the value of a TypeSSL TLV, such as the one api.ProxyHeader.TLV returns
// for it. A value that breaks the specification (shorter than its 5 fixed bytes, sub-TLVs
// that run past it) fails with an error wrapping ErrMalformed. The sub-TLVs' values share
// memory with value.
func DecodeSSL(value []byte) (SSL, error) {
	return decodeSSL(value)
}
