package server

import (
	"fmt"
	"runtime/debug"

	"github.com/gnetio/gnet/api"
)

// Every call into the handler, on the loop: each contains a panic to the connection it was for
// (recoverHandler) and carries out the action it returned (act).

// open fires OnOpened and queues its greeting, as is, ahead of anything else.
func (el *eventloop) open(c *conn) {
	defer el.recoverHandler(c)
	c.opened = true
	el.stats.opened.Add(1)
	el.noteServing(c)
	out, action := el.handler.OnOpened(c)
	if len(out) > 0 {
		if err := el.queueOutput(c, out); err != nil {
			return
		}
	}
	el.act(c, action)
}

// react calls React and carries out its action.
func (el *eventloop) react(c *conn, frame []byte) {
	defer el.recoverHandler(c)
	if frame != nil { // nil: a Wake
		el.stats.framesIn.Add(1)
	}
	el.act(c, el.handler.React(frame, c))
}

// fireClosed calls OnClosed and carries out a Shutdown it returns.
func (el *eventloop) fireClosed(c *conn, err error) {
	defer el.recoverHandler(nil)
	el.noteServing(c)
	if el.handler.OnClosed(c, err) == api.Shutdown {
		el.srv.signalShutdown()
	}
}

// fireReadClosed calls OnReadClosed and carries out its action.
func (el *eventloop) fireReadClosed(c *conn) {
	defer el.recoverHandler(c)
	el.act(c, el.readClosed.OnReadClosed(c))
}

// fireProxyHeaderFailed tells the handler that c, closed already, was refused for its PROXY
// protocol header.
func (el *eventloop) fireProxyHeaderFailed(c *conn, err error) {
	defer el.recoverHandler(nil)
	el.proxyFailed.OnProxyHeaderFailed(c, err)
}

// reportWritability tells the handler that c's pending output crossed a watermark.
func (el *eventloop) reportWritability(c *conn) {
	defer el.recoverHandler(c)
	el.writability.OnWritabilityChanged(c, !c.unwritable)
}

// signalClose asks the handler to wind c down, at a graceful stop.
func (el *eventloop) signalClose(c *conn) {
	defer el.recoverHandler(c)
	el.noteServing(c)
	el.handler.SignalClose(c)
}

// reactDatagram calls React for one datagram; a panic is contained to that datagram.
func (el *eventloop) reactDatagram(c *udpConn) {
	defer el.recoverHandler(nil)
	if c.data != nil { // nil: a Wake
		el.stats.framesIn.Add(1)
	}
	if el.handler.React(c.data, c) == api.Shutdown {
		el.srv.signalShutdown()
	}
}

// callAsync calls an AsyncCallback with how its write ended; an error it returns closes c.
func (el *eventloop) callAsync(c *conn, callback api.AsyncCallback, err error) {
	defer el.recoverHandler(c)
	if cbErr := callback(c, err); cbErr != nil {
		el.requestClose(c, cbErr, true)
	}
}

// callDialDone hands a DialFrom outcome to its callback, containing a panic to it.
func (el *eventloop) callDialDone(d *dialOp, c *conn, err error) {
	defer el.recoverHandler(c)
	if err != nil {
		d.done(nil, err)
		return
	}
	d.done(c, nil)
}

// recoverHandler turns a panic in a callback for c into closing c with ErrHandlerPanic. The
// loop and its other connections carry on.
func (el *eventloop) recoverHandler(c *conn) {
	if r := recover(); r != nil {
		el.cfg.logger.Errorf("gnet: event handler panicked on loop %d: %v\n%s", el.idx, r, debug.Stack())
		if c != nil {
			el.requestClose(c, fmt.Errorf("%w: %v", ErrHandlerPanic, r), true)
		}
	}
}

// act carries out the action a callback for c returned.
func (el *eventloop) act(c *conn, action api.Action) {
	switch action {
	case api.Close:
		el.requestClose(c, nil, false)
	case api.Shutdown:
		el.srv.signalShutdown()
	}
}
