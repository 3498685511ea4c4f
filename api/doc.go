// Package api holds the contracts that every part of gnet shares: the connection a handler
// talks to (Conn), the callbacks a handler implements (EventHandler, with EventServer as an
// embeddable default), the frame codec contract (ICodec, and PassthroughCodec for a codec that
// hands bytes through unchanged), the information handed to a handler when a server starts
// (Server), the logging contract (Logger) and the Action a callback returns.
//
// The package depends on the standard library only, so a codec or a handler can be written
// and tested against it without importing the engine.
//
// # Threading model
//
// Every connection belongs to exactly one event loop. All callbacks for a connection run on
// that loop's goroutine, one at a time, so a handler needs no locking for per-connection
// state. Methods of Conn document which of them may also be called from other goroutines.
package api
