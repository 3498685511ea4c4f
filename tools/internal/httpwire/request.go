package httpwire

// Request is one parsed request. Its byte slices point into the buffer given to Parse and
// are valid as long as that buffer's bytes are: in a gnet callback, until the callback
// returns. Reuse one Request per connection: Parse resets it and keeps the capacity of
// Headers, so that parsing allocates nothing once Headers has grown to what clients send.
type Request struct {
	// Method is the request method, for example GET; methods are case-sensitive.
	Method []byte
	// Target is the request target as sent, query included.
	Target []byte
	// ProtoMinor is the minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
	ProtoMinor int
	// Headers are the field lines in the order received, values without surrounding
	// spaces and tabs.
	Headers []Header
	// ContentLength is the body's length, 0 when the request has no Content-Length.
	ContentLength int
	// Body is the request body, ContentLength bytes; nil while it has not all arrived.
	Body []byte
	// KeepAlive reports whether the connection stays open after the response: the default
	// for HTTP/1.1 unless Connection lists "close"; for HTTP/1.0 only when Connection lists
	// "keep-alive" and not "close".
	KeepAlive bool
	// ExpectContinue reports an "Expect: 100-continue" field: the client waits for an
	// interim 100 response (ContinueResponse) before it sends the body.
	ExpectContinue bool
	// HeadLength is the length of the request line and header section, blank line and any
	// skipped leading empty lines included; 0 until the head has all arrived. When Parse
	// returns ErrIncomplete with HeadLength > 0, the head is parsed (and every field above
	// but Body is set) and only body bytes are missing.
	HeadLength int
}

// Header is one field line.
type Header struct {
	Name, Value []byte
}

// Path returns the target up to its query ("?"), a sub-slice of Target with the same
// validity. Call it from the goroutine that parsed the request.
func (r *Request) Path() []byte {
	for i, b := range r.Target {
		if b == '?' {
			return r.Target[:i:i]
		}
	}
	return r.Target
}

// reset empties r for the next parse, keeping the memory of Headers.
func (r *Request) reset() {
	headers := r.Headers[:0]
	clear(r.Headers) // so that an idle connection does not pin the buffer it last parsed
	*r = Request{Headers: headers}
}
