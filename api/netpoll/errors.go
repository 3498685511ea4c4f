package netpoll

import "errors"

var (
	// ErrPollerClosed is returned by Trigger after Close, by Polling when Close stopped it, and
	// by interest changes after Close.
	ErrPollerClosed = errors.New("gnet: poller is closed")
	// ErrAlreadyPolling is returned by Polling when another goroutine is already running
	// Polling on the same poller.
	ErrAlreadyPolling = errors.New("gnet: poller is already polling")
	// ErrNilTask is returned by Trigger when it is given a nil TaskFunc, so that the mistake
	// surfaces at the caller instead of as a panic on the event loop.
	ErrNilTask = errors.New("gnet: poller task function is nil")
	// ErrReservedToken is returned by Register and Reregister for ReservedToken.
	ErrReservedToken = errors.New("gnet: poller token is reserved for the wake-up source")
	// ErrInvalidOptions is returned by Options.WithDefaults, and so by a backend's Open, when
	// EventBatch or TaskBudget is negative.
	ErrInvalidOptions = errors.New("gnet: poller options must not be negative")
)
