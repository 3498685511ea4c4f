package resp

import "errors"

// ProtocolError is a request that breaks RESP: the connection cannot be read any further.
// Redis answers it with "-ERR Protocol error: " and its Reason, then closes the connection.
type ProtocolError struct {
	reason string
	// kind is the sentinel an error built at run time matches with errors.Is.
	kind error
}

// Error returns the error's description, prefixed like every error of gnet.
func (e *ProtocolError) Error() string { return "gnet: RESP protocol error: " + e.reason }

// Reason returns the words Redis uses for this fault after "Protocol error: ".
func (e *ProtocolError) Reason() string { return e.reason }

// Unwrap returns the sentinel an error built at run time stands for, or nil.
func (e *ProtocolError) Unwrap() error { return e.kind }

// The faults a Parser reports. Each is a *ProtocolError whose Reason is what Redis 7 says for
// the same input; compare with errors.Is.
var (
	// ErrTooBigInline: an inline command longer than MaxInlineSize with no line end yet.
	ErrTooBigInline = &ProtocolError{reason: "too big inline request"}
	// ErrUnbalancedQuotes: an inline command with a quote that is not closed, or a closing
	// quote followed by something other than a space.
	ErrUnbalancedQuotes = &ProtocolError{reason: "unbalanced quotes in request"}
	// ErrTooBigMultibulkCount: an array header longer than MaxInlineSize with no line end yet.
	ErrTooBigMultibulkCount = &ProtocolError{reason: "too big mbulk count string"}
	// ErrInvalidMultibulkLength: an array header that is not a number, or is above the
	// parser's MaxMultibulk.
	ErrInvalidMultibulkLength = &ProtocolError{reason: "invalid multibulk length"}
	// ErrTooBigBulkCount: a bulk string header longer than MaxInlineSize with no line end yet.
	ErrTooBigBulkCount = &ProtocolError{reason: "too big bulk count string"}
	// ErrInvalidBulkLength: a bulk string length that is not a number, is negative, or is
	// above the parser's MaxBulk.
	ErrInvalidBulkLength = &ProtocolError{reason: "invalid bulk length"}
	// ErrExpectedBulk is matched by the error for an array element that does not start with
	// '$'; that error's Reason also names the byte found instead.
	ErrExpectedBulk = errors.New("gnet: RESP protocol error: expected '$'")
	// ErrInvalidLimits is returned by Limits.Check for a negative limit or a MaxBulk above
	// MaxBulkLimit.
	ErrInvalidLimits = errors.New("gnet: invalid RESP parser limits")
)

// expectedBulkError reports an array element that starts with got instead of '$'. It
// allocates, which is fine: the connection is about to be closed.
func expectedBulkError(got byte) *ProtocolError {
	return &ProtocolError{reason: "expected '$', got '" + string([]byte{got}) + "'", kind: ErrExpectedBulk}
}
