// Package proxyproto reads and writes the header of HAProxy's PROXY protocol, versions 1 (a
// text line) and 2 (binary, with TLV extensions), which a proxy or load balancer puts before
// the first byte of a connection to tell the server the addresses of the client it relays.
//
// The parser is made for an event loop: Parse takes whatever bytes of the connection are
// buffered so far and either asks for more (ErrIncomplete, nothing consumed, nothing
// allocated), returns the header and its length, or refuses the connection with an error that
// wraps one of this package's sentinels. It keeps no state between calls, so the caller simply
// calls it again with the longer buffer when more bytes arrive; a header is at most 107 bytes
// in version 1 and Parser.MaxV2Length in version 2, so the rescans are bounded. It refuses as
// soon as the bytes in hand can no longer begin a valid header: a first byte that starts
// neither signature, a version 1 line that has no CRLF within its first 107 bytes, a version 2
// header that announces more than the limit in its 16 fixed bytes. How long to wait for the
// rest of a header is the caller's decision.
//
// The receiver must be configured to expect the header and must never guess whether one is
// present: a client allowed to send one can claim any address. Accept it only from proxies
// you trust.
//
// AppendV1 and AppendV2 write headers, for tests, load generators and proxies.
//
// A server reads headers with server.WithProxyProtocol, which runs Parse on each accepted
// connection before its first byte reaches the codec; a handler finds what the header said
// through api.ProxyConn, and DecodeSSL reads the PP2_TYPE_SSL TLV from there. The package is
// public so that programs which send headers (a proxy, a load generator, the tests of a
// server that expects them) write them with the same code that reads them.
package proxyproto
