package httpwire

// The application's fixed content.
const (
	// HelloWorld is the body of the plaintext route and the message of the JSON route.
	HelloWorld = "Hello, World!"
	// ContentTypePlain, ContentTypeJSON and ContentTypeEcho are the routes' content types.
	ContentTypePlain = "text/plain"
	ContentTypeJSON  = "application/json"
	ContentTypeEcho  = "application/octet-stream"
)

// App is the application that httpd and every benchmark peer serve, so that they send the
// same bytes for the same requests:
//
//	GET  /plaintext  200 text/plain "Hello, World!" (the TechEmpower plaintext test)
//	GET  /json       200 application/json {"message":"Hello, World!"}, encoded per request
//	POST /echo       200 application/octet-stream, the request body
//	anything else    404 text/plain
//
// Routes match the path without its query. Responses to HEAD requests carry no body. An App
// never changes after NewApp; one may serve every connection and goroutine at once.
type App struct {
	server string
	dates  *DateCache
}

// NewApp returns the application, naming itself server in the Server field and taking the
// Date field from dates.
func NewApp(server string, dates *DateCache) *App {
	return &App{server: server, dates: dates}
}

// AppendResponse appends the whole response to req, which Parse returned complete, to dst
// and returns the extended slice. The caller closes the connection after it unless
// req.KeepAlive. Safe from any goroutine with its own dst and req.
func (a *App) AppendResponse(dst []byte, req *Request) []byte {
	// hot path: no allocation beyond growing dst
	head := ResponseHead{
		Status:     StatusOK,
		Server:     a.server,
		Date:       a.dates.Bytes(),
		Connection: connectionOptionFor(req),
	}
	path, method := req.Path(), req.Method
	var body []byte
	switch {
	case string(path) == "/plaintext" && string(method) == "GET":
		head.ContentType = ContentTypePlain
		head.ContentLength = len(HelloWorld)
		dst = AppendResponseHead(dst, head)
		return append(dst, HelloWorld...)
	case string(path) == "/json" && string(method) == "GET":
		// Long enough for the message, so that the body stays on the stack.
		var scratch [64]byte
		body = AppendMessageJSON(scratch[:0], HelloWorld)
		head.ContentType = ContentTypeJSON
	case string(path) == "/echo" && string(method) == "POST":
		body = req.Body
		head.ContentType = ContentTypeEcho
	default:
		head.Status = StatusNotFound
		head.ContentType = ContentTypePlain
		body = notFoundBody
	}
	head.ContentLength = len(body)
	dst = AppendResponseHead(dst, head)
	if string(method) == "HEAD" {
		return dst
	}
	return append(dst, body...)
}

// notFoundBody is the body of the 404 response.
var notFoundBody = []byte("404 Not Found\n")

// AppendError appends the response to a request that Parse rejected with err to dst and
// returns the extended slice: the status StatusOf gives (400 for an error it does not know),
// a short text body, and "Connection: close", because the stream cannot be read past a
// rejected request. Safe from any goroutine with its own dst.
func (a *App) AppendError(dst []byte, err error) []byte {
	status := StatusOf(err)
	if status == 0 {
		status = StatusBadRequest
	}
	text := StatusText(status)
	dst = AppendResponseHead(dst, ResponseHead{
		Status:        status,
		Server:        a.server,
		Date:          a.dates.Bytes(),
		ContentType:   ContentTypePlain,
		ContentLength: len(text) + 1,
		Connection:    ConnectionClose,
	})
	dst = append(dst, text...)
	return append(dst, '\n')
}

// connectionOptionFor tells the client what happens to the connection after the response.
func connectionOptionFor(req *Request) ConnectionOption {
	switch {
	case !req.KeepAlive:
		return ConnectionClose
	case req.ProtoMinor == 0:
		return ConnectionKeepAlive
	default:
		return ConnectionDefault
	}
}
