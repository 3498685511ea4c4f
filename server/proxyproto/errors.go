package proxyproto

import "errors"

// The parser's and the encoders' errors. Apart from ErrIncomplete, which Parse returns as it
// is, they come wrapped with the detail of what was wrong (fmt.Errorf's %w): compare with
// errors.Is, never with ==.
var (
	// ErrIncomplete is returned by Parse, unwrapped, while the buffered bytes are a valid
	// beginning of a header but not a whole one: call again when more have arrived.
	ErrIncomplete = errors.New("gnet: PROXY protocol header incomplete")
	// ErrNotProxy is returned by Parse when the first bytes match neither the version 1 nor the
	// version 2 signature: the peer does not speak the PROXY protocol (or the header is
	// missing). It is decided from the first byte that differs, often the very first.
	ErrNotProxy = errors.New("gnet: not a PROXY protocol header")
	// ErrMalformed is returned by Parse for a header that begins with a signature but breaks
	// the specification: a bad field, an address of the wrong family, a port out of range, an
	// unknown version, command or family, an address block shorter than its family needs, a
	// TLV that runs past the header.
	ErrMalformed = errors.New("gnet: malformed PROXY protocol header")
	// ErrTooLong is returned by Parse for a version 1 line with no CRLF within its first 107
	// bytes, and for a version 2 header that announces more bytes than Parser.MaxV2Length.
	ErrTooLong = errors.New("gnet: PROXY protocol header too long")
	// ErrChecksum is returned by Parse for a version 2 header whose PP2_TYPE_CRC32C TLV does
	// not match the header's CRC-32C.
	ErrChecksum = errors.New("gnet: PROXY protocol header checksum mismatch")
	// ErrUnencodable is returned by AppendV1 and AppendV2 for a Header that the version cannot
	// carry or that is inconsistent: addresses of different kinds, a transport that
	// contradicts them, a port out of range, TLVs in version 1, a TLV too long.
	ErrUnencodable = errors.New("gnet: header cannot be encoded in the PROXY protocol")
)
