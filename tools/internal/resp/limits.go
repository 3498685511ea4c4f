package resp

// Protocol constants and default limits.
const (
	// MaxBulkLimit is the longest bulk string RESP allows in a request (Redis's
	// proto-max-bulk-len default): 512 MiB.
	MaxBulkLimit = 512 << 20
	// DefaultMaxBulk is the longest bulk string a Parser accepts unless told otherwise: 64 MiB.
	DefaultMaxBulk = 64 << 20
	// DefaultMaxMultibulk is the most arguments one request may carry unless told otherwise.
	DefaultMaxMultibulk = 1 << 20
	// DefaultMaxBatch is the most commands one Parse call returns unless told otherwise.
	DefaultMaxBatch = 256
	// MaxInlineSize is how many bytes an inline command, an array header or a bulk string
	// header may take while its line end has not arrived (Redis's PROTO_INLINE_MAX_SIZE).
	MaxInlineSize = 64 << 10
)

// Limits bounds what a request may make a Parser hold. A zero field takes its default.
type Limits struct {
	// MaxBulk is the longest bulk string accepted, in bytes (default DefaultMaxBulk, at most
	// MaxBulkLimit). A longer one is ErrInvalidBulkLength, detected from its header, before
	// any of it is buffered.
	MaxBulk int
	// MaxMultibulk is the most arguments one request may carry (default DefaultMaxMultibulk).
	// More is ErrInvalidMultibulkLength.
	MaxMultibulk int
	// MaxBatch is the most commands one Parse call returns (default DefaultMaxBatch); the
	// rest wait for the next call. It bounds the memory a pipeline takes at once.
	MaxBatch int
}

// Check reports ErrInvalidLimits for a negative field or a MaxBulk above MaxBulkLimit.
func (l Limits) Check() error {
	if l.MaxBulk < 0 || l.MaxBulk > MaxBulkLimit || l.MaxMultibulk < 0 || l.MaxBatch < 0 {
		return ErrInvalidLimits
	}
	return nil
}

// withDefaults fills zero fields and clamps the rest into their valid ranges.
func (l Limits) withDefaults() Limits {
	if l.MaxBulk <= 0 {
		l.MaxBulk = DefaultMaxBulk
	}
	l.MaxBulk = min(l.MaxBulk, MaxBulkLimit)
	if l.MaxMultibulk <= 0 {
		l.MaxMultibulk = DefaultMaxMultibulk
	}
	if l.MaxBatch <= 0 {
		l.MaxBatch = DefaultMaxBatch
	}
	return l
}
