// Package httpwire reads HTTP/1.x requests from a byte stream and writes responses, without
// allocating per request. It is the wire layer shared by tools/cmd/httpd (on gnet) and the
// benchmark peers that serve the same routes on other engines, so that a comparison measures
// the engines and not their parsers.
//
// # Parsing
//
// A Parser cuts one request at a time from the front of a buffer holding a connection's
// unconsumed bytes: Parse returns how many bytes the request took, ErrIncomplete when the
// buffer holds only part of one, or an error naming what is wrong with it. The parsed Request
// points into the buffer; nothing is copied.
//
// The parser is strict, because a server behind or in front of a proxy must read a message
// exactly as the proxy does, or requests can be smuggled past it:
//
//   - Lines end in CRLF. A bare LF (a line ending in "\n" without "\r") is rejected with
//     ErrBareLF rather than accepted as RFC 9112 section 2.2 permits: a peer that accepts it
//     and one that does not disagree on where a header ends. A CR not followed by LF is
//     malformed too.
//   - Empty lines (CRLF) before the request line are skipped, as RFC 9112 section 2.2 asks of
//     servers; they count towards the header limit.
//   - The method is a token, the request target is visible ASCII, and the version is HTTP/1.0
//     or HTTP/1.1; any other well-formed version is ErrUnsupportedVersion.
//   - A field line is a token, a colon with no space before it, and a value of visible
//     characters, spaces, tabs or obs-text; leading and trailing spaces and tabs are not part
//     of the value. Line folding (a line starting with a space or tab) is rejected.
//   - The body is framed by Content-Length only. A value is a decimal number, or a list of the
//     same number repeated (RFC 9110 section 8.6); different values, in one field or several,
//     are ErrConflictingContentLength. Any Transfer-Encoding is ErrTransferEncoding: chunked
//     bodies are not supported.
//   - An HTTP/1.1 request carries exactly one Host field; an HTTP/1.0 request at most one.
//   - Field names are compared without regard to case.
//
// Limits (see Limits) bound the request line and header section, the number of fields and
// the body. StatusOf maps every error to the status code of the response to send before
// closing the connection.
//
// # Responding
//
// AppendResponseHead writes a status line and the usual header fields; DateCache keeps the
// Date value, formatted once per refresh instead of once per response; AppendMessageJSON
// encodes the JSON route's body without reflection. App is the application itself: the
// routes every benchmarked server answers.
package httpwire
