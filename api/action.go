package api

import "strconv"

// Action is what a callback asks the engine to do once it returns.
type Action int

const (
	// None asks for nothing: the connection and the server carry on.
	None Action = iota
	// Close closes the connection the callback was called for, after any output already
	// written in the callback has been flushed. From OnInitComplete or Tick, which have no
	// connection, it is the same as None.
	Close
	// Shutdown stops the whole server gracefully: no more connections are accepted and every
	// open connection is closed.
	Shutdown
)

// String returns the action's name.
func (a Action) String() string {
	switch a {
	case None:
		return "None"
	case Close:
		return "Close"
	case Shutdown:
		return "Shutdown"
	default:
		return "Action(" + strconv.Itoa(int(a)) + ")"
	}
}
