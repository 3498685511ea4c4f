package httpwire

import "fmt"

// Default limits, the ones httpd's flags start from.
const (
	// DefaultMaxHeaderBytes bounds the request line and header section, blank line included.
	DefaultMaxHeaderBytes = 8 << 10
	// DefaultMaxHeaders bounds the number of field lines.
	DefaultMaxHeaders = 100
	// DefaultMaxBodyBytes bounds the body (its Content-Length).
	DefaultMaxBodyBytes = 1 << 20
)

// Bounds on the limits themselves, checked by NewParser.
const (
	// MinHeaderBytes is the smallest MaxHeaderBytes: room for a minimal request line and a
	// Host field.
	MinHeaderBytes = 64
	// MaxBodyBytesCeiling is the largest MaxBodyBytes. Keeping it far below the largest int
	// lets Content-Length parsing saturate without overflow checks.
	MaxBodyBytesCeiling = 1 << 40
)

// Limits bound what a Parser accepts from a peer, so that no request can make a server
// buffer without bound. Every field is in bytes except MaxHeaders.
type Limits struct {
	// MaxHeaderBytes bounds the request line plus the header section, up to and including
	// the blank line that ends it (default DefaultMaxHeaderBytes; at least MinHeaderBytes).
	// A longer one is ErrHeaderTooLarge, reported as soon as that many bytes are buffered
	// without the head ending.
	MaxHeaderBytes int
	// MaxHeaders bounds the number of field lines (default DefaultMaxHeaders; at least 1).
	MaxHeaders int
	// MaxBodyBytes bounds Content-Length (default DefaultMaxBodyBytes; 0 to
	// MaxBodyBytesCeiling). A larger one is ErrBodyTooLarge, reported before the body is
	// read.
	MaxBodyBytes int
}

// DefaultLimits returns the default limits: 8 KiB of head, 100 fields, 1 MiB of body.
func DefaultLimits() Limits {
	return Limits{
		MaxHeaderBytes: DefaultMaxHeaderBytes,
		MaxHeaders:     DefaultMaxHeaders,
		MaxBodyBytes:   DefaultMaxBodyBytes,
	}
}

// validate reports limits outside their documented ranges.
func (l Limits) validate() error {
	switch {
	case l.MaxHeaderBytes < MinHeaderBytes:
		return fmt.Errorf("%w: MaxHeaderBytes %d is below %d", ErrInvalidLimits, l.MaxHeaderBytes, MinHeaderBytes)
	case l.MaxHeaders < 1:
		return fmt.Errorf("%w: MaxHeaders %d is below 1", ErrInvalidLimits, l.MaxHeaders)
	case l.MaxBodyBytes < 0 || l.MaxBodyBytes > MaxBodyBytesCeiling:
		return fmt.Errorf("%w: MaxBodyBytes %d is outside 0..%d", ErrInvalidLimits, l.MaxBodyBytes, MaxBodyBytesCeiling)
	}
	return nil
}
