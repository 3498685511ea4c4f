package main

import (
	"log"
	"time"

	"github.com/gnetio/gnet/api"
	"github.com/gnetio/gnet/tools/internal/httpwire"
)

// serverName is what httpd puts in the Server field.
const serverName = "gnet"

// httpServer answers httpwire.App's routes on gnet. One value serves every event loop: its
// fields never change after newHTTPServer, and the date cache is safe for concurrent use.
type httpServer struct {
	api.EventServer
	codec *requestCodec
	dates *httpwire.DateCache
	app   *httpwire.App
	quiet bool
	// onInit, when set, receives the running server (its address, and Close).
	onInit func(srv api.Server)
}

// newHTTPServer returns a handler enforcing limits, or httpwire.ErrInvalidLimits.
func newHTTPServer(limits httpwire.Limits, quiet bool) (*httpServer, error) {
	parser, err := httpwire.NewParser(limits)
	if err != nil {
		return nil, err
	}
	dates := httpwire.NewDateCache(time.Now())
	return &httpServer{
		codec: &requestCodec{parser: parser},
		dates: dates,
		app:   httpwire.NewApp(serverName, dates),
		quiet: quiet,
	}, nil
}

// OnInitComplete announces the server and hands it to onInit.
func (hs *httpServer) OnInitComplete(srv api.Server) api.Action {
	if !hs.quiet {
		log.Printf("httpd: serving http://%s with %d event loop(s), reuseport=%v",
			srv.Addr, srv.NumEventLoop, srv.ReUsePort)
	}
	if hs.onInit != nil {
		hs.onInit(srv)
	}
	return api.None
}

// OnOpened gives the connection the state the codec and React share.
func (hs *httpServer) OnOpened(c api.Conn) ([]byte, api.Action) {
	c.SetContext(new(connState))
	return nil, api.None
}

// React answers the batch of requests the codec just parsed, in order, with one write (or one
// per responseFlushBytes of responses), and closes the connection when a request asked for
// it or the bytes were rejected.
func (hs *httpServer) React(frame []byte, c api.Conn) api.Action {
	// hot path: no allocation
	st, ok := c.Context().(*connState)
	if !ok || frame == nil {
		return api.None // a Wake: there is no request to answer
	}
	if st.rejected != nil {
		st.out = hs.app.AppendError(st.out[:0], st.rejected)
		// The connection closes either way; a failed write only means it already has.
		_ = c.WriteNoCodec(st.out)
		return api.Close
	}
	out := st.out[:0]
	keepAlive := true
	var err error
	for i := range st.batch {
		req := &st.batch[i]
		out = hs.app.AppendResponse(out, req)
		keepAlive = req.KeepAlive
		if len(out) >= responseFlushBytes && i+1 < len(st.batch) {
			if err = c.WriteNoCodec(out); err != nil {
				break
			}
			out = out[:0]
		}
	}
	if err == nil {
		err = c.WriteNoCodec(out)
	}
	st.out = out
	st.releaseLargeScratch()
	if err != nil || !keepAlive {
		return api.Close
	}
	return api.None
}

// Tick refreshes the Date value once per second.
func (hs *httpServer) Tick() (time.Duration, api.Action) {
	hs.dates.Refresh(time.Now())
	return time.Second, api.None
}
