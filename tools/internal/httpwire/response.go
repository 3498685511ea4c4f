package httpwire

import "strconv"

// ContinueResponse is the interim response that tells a client which sent
// "Expect: 100-continue" to go on with the body.
const ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"

// ConnectionOption says which Connection field a response carries.
type ConnectionOption uint8

const (
	// ConnectionDefault sends no Connection field: the connection's fate is the protocol
	// default (kept open for HTTP/1.1).
	ConnectionDefault ConnectionOption = iota
	// ConnectionClose sends "Connection: close": the server closes after this response.
	ConnectionClose
	// ConnectionKeepAlive sends "Connection: keep-alive", which an HTTP/1.0 client needs to
	// know that the connection stays open.
	ConnectionKeepAlive
)

// ResponseHead is what AppendResponseHead writes. Empty Server, Date and ContentType are left
// out; Content-Length is always sent, so every response is framed and keep-alive works.
type ResponseHead struct {
	Status        int
	Server        string
	Date          []byte
	ContentType   string
	ContentLength int
	Connection    ConnectionOption
}

// AppendResponseHead appends an HTTP/1.1 status line and header section, blank line
// included, to dst and returns the extended slice. Safe from any goroutine with its own dst.
func AppendResponseHead(dst []byte, head ResponseHead) []byte {
	// hot path: no allocation beyond growing dst
	dst = appendStatusLine(dst, head.Status)
	if head.Server != "" {
		dst = append(dst, "Server: "...)
		dst = append(dst, head.Server...)
		dst = append(dst, "\r\n"...)
	}
	if len(head.Date) > 0 {
		dst = append(dst, "Date: "...)
		dst = append(dst, head.Date...)
		dst = append(dst, "\r\n"...)
	}
	if head.ContentType != "" {
		dst = append(dst, "Content-Type: "...)
		dst = append(dst, head.ContentType...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(head.ContentLength), 10)
	switch head.Connection {
	case ConnectionClose:
		dst = append(dst, "\r\nConnection: close"...)
	case ConnectionKeepAlive:
		dst = append(dst, "\r\nConnection: keep-alive"...)
	}
	return append(dst, "\r\n\r\n"...)
}

// appendStatusLine appends "HTTP/1.1 <code> <reason>\r\n"; the common lines are constants.
func appendStatusLine(dst []byte, status int) []byte {
	switch status {
	case StatusOK:
		return append(dst, "HTTP/1.1 200 OK\r\n"...)
	case StatusNotFound:
		return append(dst, "HTTP/1.1 404 Not Found\r\n"...)
	}
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, ' ')
	dst = append(dst, StatusText(status)...)
	return append(dst, "\r\n"...)
}

// StatusText returns the reason phrase of the status codes this package sends, and "Status"
// for any other code. Safe from any goroutine.
func StatusText(status int) string {
	switch status {
	case StatusContinue:
		return "Continue"
	case StatusOK:
		return "OK"
	case StatusBadRequest:
		return "Bad Request"
	case StatusNotFound:
		return "Not Found"
	case StatusRequestEntityTooLarge:
		return "Request Entity Too Large"
	case StatusRequestHeaderFieldsTooLarge:
		return "Request Header Fields Too Large"
	case StatusNotImplemented:
		return "Not Implemented"
	default:
		return "Status"
	}
}
