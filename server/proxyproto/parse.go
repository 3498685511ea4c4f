package proxyproto

import "fmt"

const (
	// MaxV1Length is the longest version 1 line, CRLF included, that the specification
	// allows; a line with no CRLF within this many bytes is refused.
	MaxV1Length = 107
	// V2FixedLength is the length of a version 2 header's fixed part: the signature, the
	// version and command, the family and transport, and the length of the rest.
	V2FixedLength = 16
	// MaxV2Length is the longest version 2 header that can be written: the fixed part and
	// the largest length its 16-bit field can announce.
	MaxV2Length = V2FixedLength + 0xffff
	// DefaultMaxV2Length is the longest version 2 header a zero Parser accepts: room for
	// Unix addresses and 3.8 KiB of TLVs. A proxy that forwards the client's certificate
	// (SubtypeSSLClientCert) may need a larger limit.
	DefaultMaxV2Length = 4096
)

// Parser parses PROXY protocol headers within limits. The zero value is ready to use and
// applies the defaults; Parser holds no state, so one value may serve every connection, from
// any number of goroutines.
type Parser struct {
	// MaxV2Length is the longest version 2 header accepted, in bytes: its 16 fixed bytes,
	// address block and TLVs together. A header that announces more is refused with
	// ErrTooLong as soon as its fixed part is in hand. 0 means DefaultMaxV2Length; values
	// from V2FixedLength to MaxV2Length are meaningful (below it every version 2 header is
	// refused, above it none is for its length). The version 1 limit is the
	// specification's, MaxV1Length.
	MaxV2Length int
}

// Parse parses the header at the start of buf with a zero Parser's limits.
func Parse(buf []byte) (h Header, n int, err error) {
	return Parser{}.Parse(buf)
}

// Parse parses the header at the start of buf, which holds the connection's first bytes as
// far as they have arrived.
//
//   - A whole valid header: Parse returns it and its length n, and a nil error. The bytes
//     after the first n are the connection's payload, untouched.
//   - A valid beginning of a header: Parse returns a zero Header, 0 and ErrIncomplete (not
//     wrapped), allocating nothing; call it again with the same bytes and more.
//   - Anything else: a zero Header, 0 and an error wrapping ErrNotProxy, ErrMalformed,
//     ErrTooLong or ErrChecksum. It is made at the first byte that shows the fault, except
//     that the address block and TLVs of a version 2 header are judged once the whole
//     header it announced is in hand, and it depends on nothing after that point: the same
//     bytes give the same result however they were split into reads.
//
// Parse never retains buf: the Header's addresses and TLVs are copies. On success it
// allocates the two addresses together (and one string for both names of Unix addresses),
// and, when there are TLVs, one copy of them and one slice of TLV; the error path allocates
// the error.
func (p Parser) Parse(buf []byte) (h Header, n int, err error) {
	if len(buf) == 0 {
		return Header{}, 0, ErrIncomplete
	}
	switch buf[0] {
	case v1Signature[0]:
		return parseV1(buf)
	case v2Signature[0]:
		return parseV2(buf, p.maxV2Length())
	}
	return Header{}, 0, fmt.Errorf("%w: first byte %#02x starts neither %q nor the version 2 signature",
		ErrNotProxy, buf[0], v1Signature)
}

func (p Parser) maxV2Length() int {
	if p.MaxV2Length == 0 {
		return DefaultMaxV2Length
	}
	return p.MaxV2Length
}
