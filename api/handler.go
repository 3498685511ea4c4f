package api

import "time"

// EventHandler is the set of callbacks through which the engine tells a handler what happens.
// Each callback returns an Action that the engine carries out when the callback returns.
//
// Callbacks for one connection run on that connection's event loop, one at a time. With more
// than one loop, callbacks for different connections run in parallel: state shared between
// connections needs synchronisation.
type EventHandler interface {
	// OnInitComplete fires once, when the server is ready to accept connections. server
	// describes it and carries Close, which stops it; keep it if you need to stop the server
	// later.
	OnInitComplete(server Server) (action Action)

	// OnOpened fires when a connection has been accepted (or dialed); on a server that reads
	// PROXY protocol headers, once the header has been read, so that RemoteAddr is already
	// the client the header names (ProxyHeaderHandler hears of those refused). out, when not
	// empty, is written to the connection as it is (not through the codec): after anything
	// OnOpened itself wrote through c, before anything written once it has returned.
	OnOpened(c Conn) (out []byte, action Action)

	// OnClosed fires exactly once for every connection that OnOpened fired for, after it has
	// been closed. err is the reason: nil when either side closed it normally, otherwise the
	// error that ended it (a reset, a codec error, a timeout, an outbound limit).
	OnClosed(c Conn, err error) (action Action)

	// PreWrite fires on a loop just before the loop writes pending output to its sockets.
	PreWrite()

	// React fires for every frame the codec decodes from a connection's inbound bytes, as
	// many times as whole frames are buffered, and with a nil frame after Wake. frame is
	// valid until React returns. Reply with c.AsyncWrite, c.WriteNoCodec or c.FlushWrite.
	React(frame []byte, c Conn) (action Action)

	// Tick fires once as soon as the server starts and then again after each returned delay,
	// when the server runs with the ticker option. A delay of zero or less means one second.
	Tick() (delay time.Duration, action Action)

	// SignalClose fires once for every open connection when a graceful stop or restart
	// begins. The handler should finish what it is doing and close long-lived connections
	// as soon as it can: the process waits for every connection to close (up to the drain
	// deadline) before it exits.
	SignalClose(c Conn)
}

// EventServer implements every EventHandler callback by doing nothing. Embed it and override
// the callbacks you need.
type EventServer struct{}

var _ EventHandler = (*EventServer)(nil)

// OnInitComplete does nothing and returns None.
func (es *EventServer) OnInitComplete(server Server) (action Action) { return None }

// OnOpened writes nothing and returns None.
func (es *EventServer) OnOpened(c Conn) (out []byte, action Action) { return nil, None }

// OnClosed does nothing and returns None.
func (es *EventServer) OnClosed(c Conn, err error) (action Action) { return None }

// PreWrite does nothing.
func (es *EventServer) PreWrite() {}

// React does nothing with the frame and returns None.
func (es *EventServer) React(frame []byte, c Conn) (action Action) { return None }

// Tick asks for the next tick after the default delay and returns None.
func (es *EventServer) Tick() (delay time.Duration, action Action) { return 0, None }

// SignalClose does nothing; the connection closes when the peer closes it or the drain
// deadline passes.
func (es *EventServer) SignalClose(c Conn) {}
