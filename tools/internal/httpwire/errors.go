package httpwire

import "errors"

// Errors returned by Parse and NewParser. Parse returns them unwrapped, so == works as well
// as errors.Is. StatusOf maps each parse error to its response status.
var (
	// ErrIncomplete means the buffer holds only the start of a request: wait for more bytes.
	// It is the one error after which the connection stays usable.
	ErrIncomplete = errors.New("gnet: httpwire: incomplete request")
	// ErrMalformedRequestLine is a request line that is not method SP target SP version CRLF.
	ErrMalformedRequestLine = errors.New("gnet: httpwire: malformed request line")
	// ErrUnsupportedVersion is a well-formed version other than HTTP/1.0 and HTTP/1.1.
	ErrUnsupportedVersion = errors.New("gnet: httpwire: unsupported HTTP version")
	// ErrMalformedHeader is a field line that is not name ":" value CRLF, a control
	// character in a value, or a folded line.
	ErrMalformedHeader = errors.New("gnet: httpwire: malformed header field")
	// ErrBareLF is a line that ends in LF without CR; see the package documentation.
	ErrBareLF = errors.New("gnet: httpwire: line ends in a bare LF")
	// ErrInvalidContentLength is a Content-Length that is not a decimal number.
	ErrInvalidContentLength = errors.New("gnet: httpwire: invalid Content-Length")
	// ErrConflictingContentLength is a request with Content-Length values that differ.
	ErrConflictingContentLength = errors.New("gnet: httpwire: conflicting Content-Length values")
	// ErrMissingHost is an HTTP/1.1 request without a Host field.
	ErrMissingHost = errors.New("gnet: httpwire: missing Host header")
	// ErrDuplicateHost is a request with more than one Host field.
	ErrDuplicateHost = errors.New("gnet: httpwire: more than one Host header")
	// ErrHeaderTooLarge is a request line and header section longer than
	// Limits.MaxHeaderBytes.
	ErrHeaderTooLarge = errors.New("gnet: httpwire: request header section too large")
	// ErrTooManyHeaders is a request with more than Limits.MaxHeaders field lines.
	ErrTooManyHeaders = errors.New("gnet: httpwire: too many header fields")
	// ErrBodyTooLarge is a Content-Length above Limits.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("gnet: httpwire: request body too large")
	// ErrTransferEncoding is a request with a Transfer-Encoding field, which this parser
	// does not implement.
	ErrTransferEncoding = errors.New("gnet: httpwire: Transfer-Encoding is not supported")
	// ErrInvalidLimits is returned by NewParser for limits outside their documented ranges.
	ErrInvalidLimits = errors.New("gnet: httpwire: invalid limits")
)

// Status codes of the responses to rejected requests, and of the routes.
const (
	StatusContinue                    = 100
	StatusOK                          = 200
	StatusBadRequest                  = 400
	StatusNotFound                    = 404
	StatusRequestEntityTooLarge       = 413
	StatusRequestHeaderFieldsTooLarge = 431
	StatusNotImplemented              = 501
)

// StatusOf returns the status code of the response to a request Parse rejected with err:
// 431 for the header limits, 413 for the body limit, 501 for Transfer-Encoding and 400 for
// everything else. It returns 0 for nil and ErrIncomplete, which reject nothing. Safe from
// any goroutine.
func StatusOf(err error) int {
	switch {
	case err == nil, errors.Is(err, ErrIncomplete):
		return 0
	case errors.Is(err, ErrHeaderTooLarge), errors.Is(err, ErrTooManyHeaders):
		return StatusRequestHeaderFieldsTooLarge
	case errors.Is(err, ErrBodyTooLarge):
		return StatusRequestEntityTooLarge
	case errors.Is(err, ErrTransferEncoding):
		return StatusNotImplemented
	default:
		return StatusBadRequest
	}
}
